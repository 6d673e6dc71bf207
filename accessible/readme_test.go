package accessible

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// README's transcript of accessible mode is a real session's, word for
// word: an assessment of EC2, RDS and S3, a question found by its id,
// and notes saved.
func TestREADMETranscript(t *testing.T) {
	h := newHarness(t)
	if _, err := h.db.Create(model.Assessment{Name: "LIMS on AWS", Services: model.Select("ec2", "rds", "s3")}); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	cfg := h.config(strings.Join([]string{"1", "4", "11", "SEC-04", "8", "Reviewed in workshop 2", "q"}, "\n")+"\n", &out)
	cfg.DBPath = "/home/ana/.local/share/onus/onus.db"
	if err := Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	transcript := "$ onus --accessible\n" + out.String()
	if os.Getenv("ONUS_PRINT_TRANSCRIPT") != "" {
		os.Stdout.WriteString(transcript)
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```\n"+transcript+"```\n") {
		t.Errorf("README does not hold the transcript (ONUS_PRINT_TRANSCRIPT=1 prints it):\n%s", transcript)
	}
}
