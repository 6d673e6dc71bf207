resource "aws_eks_cluster" "plant" {
  name     = "plant-edge"
  role_arn = aws_iam_role.fn.arn

  vpc_config {
    subnet_ids = [aws_subnet.private.id]
  }

  remote_network_config {
    remote_node_networks {
      cidrs = ["172.16.0.0/18"]
    }
  }
}

resource "aws_eks_access_entry" "plant_nodes" {
  cluster_name  = aws_eks_cluster.plant.name
  principal_arn = aws_iam_role.fn.arn
  type          = "HYBRID_LINUX"
}

resource "aws_subnet" "private" {
  vpc_id     = module.network.vpc_id
  cidr_block = "10.40.1.0/24"

  dynamic "ipv6" {
    for_each = []
    content {}
  }
}
