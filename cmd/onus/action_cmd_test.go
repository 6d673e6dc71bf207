package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// onus action add, list and done: items raised on a control and on the
// assessment, listed by due date and by owner, closed, each change an
// entry of the trail by the --as name.
func TestActionCommands(t *testing.T) {
	env, _ := storeEnv(t)
	out, _ := mustOnus(t, env, "new", "--name", "LIMS", "--services", "ec2")
	id := strings.TrimSpace(out)

	out, _ = mustOnus(t, env, "action", "add", id, "ACC-01", "--text", "Send the access SOP", "--owner", "Quinn", "--due", "2026-12-10")
	if strings.TrimSpace(out) != "A1" {
		t.Fatalf("add printed %q, want A1", out)
	}
	env2 := map[string]string{}
	for k, v := range env {
		env2[k] = v
	}
	env2["ONUS_USER"] = "Ana Ruiz"
	mustOnus(t, env2, "action", "add", id, "--text", "Book the follow-up", "--owner", "Ana", "--due", "2026-12-01")

	out, _ = mustOnus(t, env, "action", "list", id)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "A2") || !strings.Contains(lines[2], "ACC-01") || !strings.Contains(lines[1], "(assessment)") {
		t.Fatalf("list by due date:\n%s", out)
	}
	out, _ = mustOnus(t, env, "action", "list", id, "--by-owner")
	if lines = strings.Split(strings.TrimSpace(out), "\n"); !strings.HasPrefix(lines[1], "A2") || !strings.Contains(lines[2], "Quinn") {
		t.Fatalf("list by owner:\n%s", out)
	}

	mustOnus(t, env2, "action", "done", id, "a1", "--reason", "SOP received")
	out, _ = mustOnus(t, env, "action", "list", id, "--json")
	var items []model.ActionItem
	if err := json.Unmarshal([]byte(out), &items); err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 || items[0].ID != "A2" || items[1].ID != "A1" || items[1].Status != model.ActionDone || items[1].UpdatedBy != "Ana Ruiz" || items[1].RaisedBy != "tester" {
		t.Fatalf("after done: %+v", items)
	}
	out, _ = mustOnus(t, env, "history", id)
	if !strings.Contains(strings.Join(strings.Fields(out), " "), "Ana Ruiz action action/A1 SOP received") {
		t.Errorf("history:\n%s", out)
	}

	failsOnus(t, env, 2, []string{"--due"}, "action", "add", id, "--text", "x", "--owner", "y", "--due", "next week")
	failsOnus(t, env, 1, []string{"an action needs an owner"}, "action", "add", id, "--text", "x", "--due", "2026-12-01")
	failsOnus(t, env, 1, []string{`unknown control "NOPE"`}, "action", "add", id, "NOPE", "--text", "x", "--owner", "y", "--due", "2026-12-01")
	failsOnus(t, env, 1, []string{"no action A7"}, "action", "done", id, "A7")
	failsOnus(t, env, 2, []string{"usage"}, "action", "done", id)
}
