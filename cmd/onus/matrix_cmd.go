package main

import (
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/report"
)

func newMatrixCmd(env *Env) *cobra.Command {
	var asJSON, asCSV bool
	var overrides, gamps []string
	var sf *scopeFlags
	cmd := &cobra.Command{
		Use:   "matrix SERVICE...",
		Short: "print a responsibility matrix, without an assessment",
		Long: `Print the responsibility matrix of a selection of services under a scope: for each
control that applies, its owner, the customer's part, AWS's part, the evidence each
party supplies and the reason: the customer responsibility matrix an auditor asks
for. Nothing is stored.`,
		Example: `onus matrix ec2 rds s3
onus matrix lambda apigateway dynamodb s3 --framework 21cfr11 --internet-facing --data health --csv > matrix.csv
onus matrix eks --override "eks/os=aws:every pod runs on AWS Fargate" --json`,
		ValidArgsFunction: env.completeEach(env.serviceIDs),
		RunE: func(_ *cobra.Command, pos []string) error {
			if len(pos) == 0 {
				return usagef("matrix needs at least one SERVICE, e.g. onus matrix ec2 rds s3")
			}
			if asJSON && asCSV {
				return usagef("choose --json or --csv, not both")
			}
			if err := sf.check(); err != nil {
				return err
			}
			cat, err := env.Catalog()
			if err != nil {
				return err
			}
			ids := dedupe(pos)
			if err := cat.CheckServices(ids); err != nil {
				return usagef("%v", err)
			}
			scope, err := sf.apply(cat, model.Scope{}, true)
			if err != nil {
				return err
			}
			sels := model.Select(ids...)
			if err := selectionOptions(cat, sels, overrides, gamps); err != nil {
				return err
			}
			m := cat.Matrix(scope, sels)
			var out []byte
			switch {
			case asJSON:
				if out, err = report.MatrixJSON(cat, m); err != nil {
					return err
				}
			case asCSV:
				out = report.MatrixCSV(cat, m)
			default:
				out = report.MatrixText(cat, m)
			}
			_, err = env.Stdout.Write(out)
			return err
		},
	}
	sf = addScopeFlags(env, cmd, "direct")
	f := cmd.Flags()
	f.StringArrayVar(&overrides, "override", nil, "an assessment-style override, repeatable: SERVICE/LAYER=OWNER:JUSTIFICATION (owner aws, customer or shared)")
	f.StringArrayVar(&gamps, "gamp", nil, "a GAMP 5 category of your own, repeatable: SERVICE=CATEGORY:JUSTIFICATION (category 1, 3, 4 or 5)")
	f.BoolVar(&asJSON, "json", false, "print JSON, the catalog's text exactly")
	f.BoolVar(&asCSV, "csv", false, "print CSV, safe to open in a spreadsheet")
	completeFlag(cmd, "override", cobra.NoFileCompletions)
	completeFlag(cmd, "gamp", cobra.NoFileCompletions)
	return cmd
}

// selectionOptions puts --override and --gamp onto the selections they
// name, checked as the store checks an assessment's own.
func selectionOptions(cat *model.Catalog, sels []model.SelectedService, overrides, gamps []string) error {
	find := func(flag, service string) (*model.SelectedService, error) {
		for i := range sels {
			if sels[i].ID == service {
				return &sels[i], nil
			}
		}
		return nil, usagef("%s names %q, which is not among the services", flag, service)
	}
	for _, o := range overrides {
		target, rest, ok1 := strings.Cut(o, "=")
		service, layer, ok2 := strings.Cut(target, "/")
		owner, why, _ := strings.Cut(rest, ":")
		if !ok1 || !ok2 {
			return usagef("--override %q: write SERVICE/LAYER=OWNER:JUSTIFICATION", o)
		}
		sel, err := find("--override", service)
		if err != nil {
			return err
		}
		if err := cat.CheckLayer(layer); err != nil {
			return usagef("--override: %v", err)
		}
		ov := model.ServiceOverride{Layer: layer, Owner: model.Owner(owner), Justification: why}
		if err := model.ValidateOverride(ov); err != nil {
			return usagef("--override %q: %v", o, err)
		}
		sel.Overrides = append(sel.Overrides, ov)
	}
	for _, g := range gamps {
		service, rest, ok := strings.Cut(g, "=")
		category, why, _ := strings.Cut(rest, ":")
		n, err := strconv.Atoi(category)
		if !ok || err != nil {
			return usagef("--gamp %q: write SERVICE=CATEGORY:JUSTIFICATION", g)
		}
		sel, err := find("--gamp", service)
		if err != nil {
			return err
		}
		override := model.GAMPOverride{Category: n, Justification: why}
		if err := model.ValidateGAMPOverride(override); err != nil {
			return usagef("--gamp %q: %v", g, err)
		}
		sel.GAMP = &override
	}
	return nil
}
