terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.70"
    }
  }
}

provider "aws" {
  region = var.region
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "package_type" {
  type    = string
  default = "Zip"
}

variable "replicas" {
  type    = number
  default = 2
}

locals {
  buckets = toset(["raw", "curated"])
}

data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_s3_bucket" "data" {
  for_each = local.buckets
  bucket   = "lims-${each.key}-${data.aws_caller_identity.current.account_id}"
}

resource "aws_lambda_function" "render" {
  function_name = "lims-render"
  package_type  = "Image"
  image_uri     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/render:1.0"
  role          = aws_iam_role.fn.arn
}

resource "aws_lambda_function" "tunable" {
  function_name = "lims-tunable"
  package_type  = var.package_type
  role          = aws_iam_role.fn.arn
}

resource "aws_iam_role" "fn" {
  name               = "lims-fn"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_ecs_task_definition" "plant" {
  family                   = "plant-collector"
  requires_compatibilities = ["EXTERNAL"]
  container_definitions = jsonencode([{
    name  = "collector"
    image = "public.ecr.aws/lims/collector:2.0"
  }])
}

resource "aws_batch_compute_environment" "reports" {
  compute_environment_name = "reports"
  type                     = "MANAGED"
  compute_resources {
    type      = "FARGATE"
    max_vcpus = 16
    subnets   = [aws_subnet.private.id]
  }
}

resource "aws_instance" "bastion" {
  count         = 0
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
}

resource "aws_instance" "worker" {
  count         = var.replicas
  ami           = "ami-0123456789abcdef0"
  instance_type = "m6i.large"
}

resource "random_id" "suffix" {
  byte_length = 4
}

module "network" {
  source = "./modules/network"
  cidr   = "10.40.0.0/16"
}

module "registry_vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.13.0"
}
