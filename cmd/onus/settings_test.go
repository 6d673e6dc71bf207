package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// configHome writes $HOME/.config/onus/config.toml and returns the
// environment that reads it.
func configHome(t *testing.T, text string) (env map[string]string, home, path string) {
	t.Helper()
	home = t.TempDir()
	path = filepath.Join(home, ".config", "onus", "config.toml")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return map[string]string{"HOME": home}, home, path
}

// The config file sets the defaults a user sets once: here the database
// and the name in the audit trail, which the commands then use.
func TestConfigSetsDefaults(t *testing.T) {
	env, home, _ := configHome(t, "# Ana's laptop\nas = \"Ana Ruiz\"\ndb = \"~/clients/acme.db\"\n")
	if err := os.MkdirAll(filepath.Join(home, "clients"), 0o700); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runOnus(t, env, "new", "--name", "LIMS")
	if code != 0 {
		t.Fatalf("new: %d %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(home, "clients", "acme.db")); err != nil {
		t.Fatalf("the config file's database was not used: %v", err)
	}
	_, hist, _ := runOnus(t, env, "history", strings.TrimSpace(out), "--json")
	var trail []model.AuditEntry
	if err := json.Unmarshal([]byte(hist), &trail); err != nil || len(trail) == 0 || trail[0].Actor != "Ana Ruiz" {
		t.Fatalf("actor from the config file: %v %+v", err, trail)
	}
}

// A flag wins over the environment, the environment over the config
// file, the config file over the default; doctor says which gave each.
func TestSettingsPrecedence(t *testing.T) {
	env, home, path := configHome(t, "as = \"config\"\ndb = \"~/config.db\"\ntheme = \"light\"\nexport-dir = \"~/exports\"\n")
	env["ONUS_USER"] = "environment"
	env["ONUS_DB"] = filepath.Join(home, "env.db")
	env["ONUS_NO_MOUSE"] = "1"
	code, out, errs := runOnus(t, env, "--db", filepath.Join(home, "flag.db"), "doctor")
	if code != 0 {
		t.Fatalf("doctor: %d\n%s%s", code, out, errs)
	}
	for _, want := range [][]string{
		{"ok", "config", path, "read"},
		{"ok", "setting", "db", filepath.Join(home, "flag.db"), "(option --db"},
		{"ok", "setting", "as", "environment (environment ONUS_USER)"},
		{"ok", "setting", "theme", "light (config file " + path + " line 3)"},
		{"ok", "setting", "export-dir", filepath.Join(home, "exports"), "(config file " + path + " line 4"},
		{"ok", "setting", "no-mouse", "true (environment ONUS_NO_MOUSE)"},
		{"ok", "setting", "catalog", "the embedded catalog (default)"},
		{"ok", "setting", "allowed-signers", filepath.Join(home, ".config", "onus", "allowed_signers"), "(default"},
	} {
		if !hasLine(out, want[0], want[1], want[2:]...) {
			t.Errorf("no line %q in:\n%s", want, out)
		}
	}
	// Without the flag the environment's database, without that the file's.
	_, out, _ = runOnus(t, env, "doctor")
	if !hasLine(out, "ok", "setting", "db", filepath.Join(home, "env.db"), "(environment ONUS_DB") {
		t.Errorf("ONUS_DB:\n%s", out)
	}
	delete(env, "ONUS_DB")
	_, out, _ = runOnus(t, env, "doctor")
	if !hasLine(out, "ok", "setting", "db", filepath.Join(home, "config.db"), "(config file "+path+" line 2") {
		t.Errorf("the file's db:\n%s", out)
	}
	delete(env, "HOME")
	env["XDG_DATA_HOME"] = home
	_, out, _ = runOnus(t, env, "doctor")
	if !hasLine(out, "ok", "config", "no config file") || !hasLine(out, "ok", "setting", "db", filepath.Join(home, "onus", "onus.db"), "(default") {
		t.Errorf("no config file:\n%s", out)
	}
}

// A broken config file is an error naming the line and the key, for
// every command that would use it (exit 2, nothing created), never a
// silent default; doctor shows it and the rest.
func TestBrokenConfig(t *testing.T) {
	env, home, path := configHome(t, "as = \"Ana\"\ntheme = \"blue\"\nexprt-dir = \"~/x\"\n")
	db := filepath.Join(home, "onus.db")
	env["ONUS_DB"] = db
	for _, args := range [][]string{{"new", "--name", "LIMS"}, {"list"}, {}, {"--db", db}} {
		code, out, errs := runOnus(t, env, args...)
		if code != 2 || out != "" {
			t.Errorf("%v: exit %d, stdout %q", args, code, out)
		}
		for _, want := range []string{
			path + ` line 2, key "theme": "blue" is not one of auto, light, dark`,
			path + ` line 3, key "exprt-dir": not a setting Onus knows`,
			"onus doctor shows every setting",
		} {
			if !strings.Contains(errs, want) {
				t.Errorf("%v: no %q in:\n%s", args, want, errs)
			}
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("a command ran on a broken config file: the database was created")
	}
	code, out, _ := runOnus(t, env, "doctor")
	if code != 1 || !hasLine(out, "FAIL", "config", path, `key "theme"`) || !hasLine(out, "ok", "setting", "as") {
		t.Errorf("doctor: exit %d\n%s", code, out)
	}
	// Commands that read no setting still run.
	if code, out, _ := runOnus(t, env, "version"); code != 0 || !strings.HasPrefix(out, "onus version") {
		t.Errorf("version: %d %q", code, out)
	}
}

// A setting's value from the environment or an option is checked as the
// file's is.
func TestSettingValuesChecked(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"ONUS_THEME": "blue"}, []string{"list"}, "ONUS_THEME=blue: not one of auto, light, dark"},
		{map[string]string{"ONUS_NO_MOUSE": "maybe"}, []string{"list"}, "ONUS_NO_MOUSE=maybe: not true or false"},
		{map[string]string{}, []string{"--theme", "blue"}, `invalid argument "blue" for "--theme" flag: not one of auto, light, dark`},
		{map[string]string{"ONUS_CONFIG": filepath.Join(dir, "none.toml")}, []string{"list"}, "ONUS_CONFIG names " + filepath.Join(dir, "none.toml") + ", which does not exist"},
	} {
		c.env["ONUS_DB"] = filepath.Join(dir, "onus.db")
		code, _, errs := runOnus(t, c.env, c.args...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%v %v: exit %d\n%s", c.env, c.args, code, errs)
		}
	}
	// The wizard's own settings are the wizard's options, not every command's.
	if code, _, errs := runOnus(t, map[string]string{"ONUS_DB": filepath.Join(dir, "onus.db")}, "list", "--theme", "dark"); code != 2 || !strings.Contains(errs, "unknown flag: --theme") {
		t.Errorf("list --theme: %d %s", code, errs)
	}
}

// ONUS_CONFIG names another file.
func TestConfigFromONUS_CONFIG(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "team.toml")
	if err := os.WriteFile(p, []byte("theme = \"dark\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, out, _ := runOnus(t, map[string]string{"ONUS_CONFIG": p, "ONUS_DB": filepath.Join(dir, "o.db")}, "doctor")
	if !hasLine(out, "ok", "config", p, "read") || !hasLine(out, "ok", "setting", "theme", "dark (config file "+p+" line 1)") {
		t.Errorf("ONUS_CONFIG:\n%s", out)
	}
}

// readmeSection returns the fenced blocks of a README section, by heading.
func readmeSection(t *testing.T, heading string) []string {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(data), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("README has no %q", heading)
	}
	sec, _, _ = strings.Cut(sec, "\n## ")
	var blocks []string
	for {
		_, rest, ok := strings.Cut(sec, "```")
		if !ok {
			return blocks
		}
		block, after, _ := strings.Cut(rest, "\n```")
		blocks = append(blocks, block[strings.Index(block, "\n")+1:]+"\n")
		sec = after
	}
}

// The README's configuration example is a file Onus reads as it says,
// and its broken file is reported word for word.
func TestREADMEConfiguration(t *testing.T) {
	blocks := readmeSection(t, "## Configuration")
	if len(blocks) != 3 {
		t.Fatalf("%d blocks in the README's Configuration, want the file, doctor's lines and the error", len(blocks))
	}
	env, home, path := configHome(t, blocks[0])
	code, out, errs := runOnus(t, env, "doctor")
	if strings.Contains(out, "FAIL  config") {
		t.Fatalf("the README's config file: exit %d\n%s%s", code, out, errs)
	}
	for _, want := range [][]string{
		{"as", "Ana Ruiz (config file " + path + " line 2)"},
		{"db", filepath.Join(home, "clients/acme/onus.db") + " (config file " + path + " line 3"},
		{"theme", "light (config file " + path + " line 7)"},
		{"no-mouse", "true (config file " + path + " line 8)"},
	} {
		if !hasLine(out, "ok", "setting", want...) {
			t.Errorf("README's file: no %q in\n%s", want, out)
		}
	}
	// doctor's lines as the README shows them.
	env, home, _ = configHome(t, "as = \"Ana Ruiz\"\ndb = \"~/clients/acme/onus.db\"\n")
	env["ONUS_USER"] = "Ana Ruiz"
	if err := os.MkdirAll(filepath.Join(home, "clients", "acme"), 0o700); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runOnus(t, env, "new", "--name", "LIMS"); code != 0 {
		t.Fatal(errs)
	}
	_, out, _ = runOnus(t, env, "doctor")
	for _, l := range strings.Split(strings.TrimSpace(blocks[1]), "\n") {
		if l = strings.ReplaceAll(l, "/home/ana", home); !strings.Contains(out, l+"\n") {
			t.Errorf("doctor does not print the README's line\n%s\nin\n%s", l, out)
		}
	}
	// The README's broken file, word for word.
	env, home, _ = configHome(t, "as = \"Ana Ruiz\"\ndb = \"~/acme.db\"\ntheme = \"blue\"\nexprt-dir = \"~/x\"\n")
	code, _, errs = runOnus(t, env, "list")
	if want := strings.ReplaceAll(blocks[2], "/home/ana", home); code != 2 || errs != want {
		t.Errorf("exit %d\n%s\nwant the README's\n%s", code, errs, want)
	}
}

// The wizard's export folder and mouse setting reach it from an option,
// the environment or the config file alike (issue 14: exports go to a
// folder the user chose).
func TestWizardSettingsFromEverySource(t *testing.T) {
	env, home, _ := configHome(t, "export-dir = \"~/from-config\"\nno-mouse = true\n")
	for name, c := range map[string]struct {
		env  map[string]string
		args []string
		want string
	}{
		"option":      {map[string]string{"HOME": t.TempDir()}, []string{"--export-dir", "/from/option", "--no-mouse"}, "/from/option"},
		"environment": {map[string]string{"HOME": t.TempDir(), "ONUS_EXPORT_DIR": "/from/env", "ONUS_NO_MOUSE": "1"}, nil, "/from/env"},
		"config file": {env, nil, filepath.Join(home, "from-config")},
	} {
		e := &Env{Getenv: func(k string) string { return c.env[k] }}
		if !e.wizardOnly(c.args) {
			t.Fatalf("%s: %v did not start the wizard", name, c.args)
		}
		if err := e.settingsError(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if e.ExportDir != c.want || !e.NoMouse {
			t.Errorf("%s: export folder %q, no mouse %v; want %q and true", name, e.ExportDir, e.NoMouse, c.want)
		}
	}
}
