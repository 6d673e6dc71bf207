package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/report"
	"github.com/onus-gxp/onus/sign"
)

// renderExport renders an exported bundle in any of the report package's
// formats (md, html, csv, json, oscal-ar, oscal-cd) against the catalog in
// effect. The report's date is the assessment's last change, so exporting
// the same assessment twice gives the same bytes. An unknown format is a
// usage error that lists the formats.
func renderExport(format string, cat *model.Catalog, b model.Bundle) ([]byte, error) {
	return renderExportAt(format, cat, b, time.Time{})
}

// renderExportAt renders as of a time (the report's date, and the day
// supplier evidence is judged stale on); zero means as of the data.
func renderExportAt(format string, cat *model.Catalog, b model.Bundle, at time.Time) ([]byte, error) {
	if _, ok := report.LookupFormat(format); !ok {
		return nil, usagef("unknown format %q (use %s)", format, strings.Join(report.FormatIDs(), ", "))
	}
	// Each signature is checked as onus verify checks it, against the
	// organisation's allowed-signers file when there is one, and every
	// format prints what was found.
	allowed, err := sign.ReadDefaultAllowedSigners(os.Getenv)
	if err != nil {
		return nil, fmt.Errorf("the allowed-signers file: %w", err)
	}
	checks, err := sign.Verify(b.Trail, allowed)
	if err != nil {
		return nil, err
	}
	return report.Render(format, report.Input{Catalog: cat, Assessment: b.Assessment, Trail: b.Trail, Now: at, Signatures: checks})
}
