package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/onus-gxp/onus/internal/config"
	"github.com/onus-gxp/onus/store"
	"github.com/onus-gxp/onus/tui"
)

// Settings are the options a user may also set in the environment and in
// the config file ($XDG_CONFIG_HOME/onus/config.toml, internal/config),
// for the defaults set once: a flag wins over the environment, the
// environment over the config file, the config file over the default.
// onus doctor shows each value and where it came from.

// setting is one of them: the option --name, the config file's key of
// the same name, and an environment variable.
type setting struct {
	name, env, usage string
	kind             config.Kind
	text             *string // the value of a text or path setting
	on               *bool   // the value of a switch
	choices          []string
	wizard           bool              // an option of the wizard alone (onus --theme dark), not of every command
	fallback         func(*Env) string // what applies when nothing sets it, as doctor shows it
}

func (env *Env) settings() []setting {
	return []setting{
		{name: "db", env: "ONUS_DB", kind: config.Path, text: &env.DBPath,
			usage:    "database file (default $XDG_DATA_HOME/onus/onus.db; env ONUS_DB)",
			fallback: func(env *Env) string { p, _ := store.DefaultPath(env.Getenv); return p }},
		{name: "catalog", env: "ONUS_CATALOG", kind: config.Path, text: &env.CatalogPath,
			usage:    "catalog file instead of the embedded one (env ONUS_CATALOG)",
			fallback: func(*Env) string { return "the embedded catalog" }},
		{name: "as", env: "ONUS_USER", text: &env.Actor,
			usage:    "name recorded in the audit trail (env ONUS_USER; default the OS user)",
			fallback: func(env *Env) string { return env.actor() + ", the OS user" }},
		{name: "allowed-signers", env: "ONUS_ALLOWED_SIGNERS", kind: config.Path, text: &env.AllowedSigners,
			usage:    "the organisation's allowed-signers file, who may sign with which key (default $XDG_CONFIG_HOME/onus/allowed_signers; env ONUS_ALLOWED_SIGNERS)",
			fallback: func(env *Env) string { return env.allowedSignersPath() }},
		{name: "export-dir", env: "ONUS_EXPORT_DIR", kind: config.Path, text: &env.ExportDir, wizard: true,
			usage:    "folder the wizard offers exports in (default ~/Documents/Onus; env ONUS_EXPORT_DIR)",
			fallback: func(env *Env) string { return tui.DefaultExportDir(env.Getenv) }},
		{name: "theme", env: "ONUS_THEME", text: &env.Theme, choices: tui.Themes, wizard: true,
			usage:    "the wizard's colours: " + strings.Join(tui.Themes, ", ") + " (env ONUS_THEME; auto follows the terminal's background; projector: large type, high contrast, P toggles it)",
			fallback: func(*Env) string { return tui.Themes[0] }},
		{name: "no-mouse", env: "ONUS_NO_MOUSE", kind: config.Bool, on: &env.NoMouse, wizard: true,
			usage:    "start the wizard with the mouse off, so that the terminal selects text (m turns it on; env ONUS_NO_MOUSE)",
			fallback: func(*Env) string { return "false" }},
	}
}

// settingNames lists the settings, as the config file's keys.
func settingNames() string {
	var names []string
	for _, s := range (&Env{}).settings() {
		names = append(names, s.name)
	}
	return strings.Join(names, ", ")
}

// globalFlags registers the settings every command takes; wizardFlags
// those of the wizard alone.
func (env *Env) globalFlags(fs *pflag.FlagSet) {
	env.settingFlags(fs, false)
	// --extension is a list, outside the config file's settings.
	if env.Extensions == nil {
		env.Extensions = filepath.SplitList(env.Getenv("ONUS_EXTENSION"))
	}
	fs.StringArrayVar(&env.Extensions, "extension", env.Extensions, "catalog extension to merge into the catalog, e.g. a lens from onus lens import; repeatable (env ONUS_EXTENSION)")
	env.Accessible = env.Accessible || accessibleEnv(env.Getenv)
	fs.BoolVar(&env.Accessible, "accessible", env.Accessible, "the wizard as numbered line prompts, for screen readers and pipes (env ACCESSIBLE)")
}
func (env *Env) wizardFlags(fs *pflag.FlagSet) { env.settingFlags(fs, true) }

// settingFlags registers the flags, each defaulting to the environment,
// else the config file; a value already in env (set by a caller) stays.
func (env *Env) settingFlags(fs *pflag.FlagSet, wizard bool) {
	env.loadConfig()
	if env.flags == nil {
		env.flags = map[string]*pflag.Flag{}
	}
	for _, s := range env.settings() {
		if s.wizard != wizard {
			continue
		}
		value, _ := env.initial(s)
		switch {
		case s.on != nil:
			on, err := strconv.ParseBool(value)
			if value != "" && err != nil {
				env.refuse(s, value, "not true or false")
			}
			*s.on = *s.on || on
			fs.BoolVar(s.on, s.name, *s.on, s.usage)
		default:
			if *s.text == "" {
				*s.text = value
			}
			if s.choices != nil && *s.text != "" && !slices.Contains(s.choices, *s.text) {
				env.refuse(s, *s.text, "not one of "+strings.Join(s.choices, ", "))
			}
			fs.Var(&choiceValue{s.text, s.choices}, s.name, s.usage)
		}
		env.flags[s.name] = fs.Lookup(s.name)
	}
}

// initial is a setting's value before the command line: the environment
// variable's, else the config file's, and where it came from.
func (env *Env) initial(s setting) (value, from string) {
	if v := env.Getenv(s.env); v != "" {
		return v, "environment " + s.env
	}
	if v, line, ok := env.config.Get(s.name); ok {
		return v, fmt.Sprintf("config file %s line %d", env.config.Path, line)
	}
	return "", ""
}

// refuse records a value from the environment that does not fit; the
// config file's own are refused when it is read, and the option's by
// pflag.
func (env *Env) refuse(s setting, value, why string) {
	if env.settingErr == nil {
		env.settingErr = settingError{fmt.Sprintf("%s=%s: %s", s.env, value, why)}
	}
}

// source says where a setting's value came from, for doctor.
func (env *Env) source(s setting) string {
	if f := env.flags[s.name]; f != nil && f.Changed {
		return "option --" + s.name
	}
	if _, from := env.initial(s); from != "" {
		return from
	}
	return "default"
}

// loadConfig reads the config file once; a problem is kept for the
// commands that use settings (settingsError) and for doctor to show.
func (env *Env) loadConfig() {
	if env.configRead {
		return
	}
	env.configRead = true
	var keys []config.Key
	for _, s := range env.settings() {
		k := config.Key{Name: s.name, Kind: s.kind}
		if s.choices != nil {
			choices := s.choices
			k.Check = func(v string) error {
				if !slices.Contains(choices, v) {
					return fmt.Errorf("%q is not one of %s", v, strings.Join(choices, ", "))
				}
				return nil
			}
		}
		keys = append(keys, k)
	}
	path := env.configPath()
	if explicit := env.Getenv("ONUS_CONFIG"); explicit != "" && !exists(explicit) {
		env.configErr = fmt.Errorf("ONUS_CONFIG names %s, which does not exist", explicit)
		return
	}
	env.config, env.configErr = config.Read(path, env.Getenv("HOME"), keys)
}

func (env *Env) configPath() string { return config.DefaultPath(env.Getenv) }

// settingsError is why the settings cannot be used: a broken config file,
// or an environment variable's value that does not fit.
func (env *Env) settingsError() error {
	if env.configErr != nil {
		return settingError{env.configErr.Error() +
			"\nFix the config file; onus doctor shows every setting and where it comes from."}
	}
	if env.settingErr != nil {
		return env.settingErr
	}
	return nil
}

// settingError is a setting that cannot be used (exit 2, as a mistake on
// the command line: the user's own configuration of the command line,
// refused before anything is read or written, and fixed the same way).
type settingError struct{ msg string }

func (e settingError) Error() string { return e.msg }
func (e settingError) ExitCode() int { return exitUsage }

// allowedSignersPath is the allowed-signers file in effect: the setting,
// else allowed_signers in Onus's config folder ("" without a home).
func (env *Env) allowedSignersPath() string {
	if env.AllowedSigners != "" {
		return env.AllowedSigners
	}
	if dir := config.Dir(env.Getenv); dir != "" {
		return filepath.Join(dir, "allowed_signers")
	}
	return ""
}

// choiceValue is a text flag, refused by pflag (a usage error) when it is
// not one of its choices.
type choiceValue struct {
	p       *string
	choices []string
}

func (v *choiceValue) String() string { return *v.p }
func (v *choiceValue) Type() string   { return "string" }
func (v *choiceValue) Set(s string) error {
	if v.choices != nil && !slices.Contains(v.choices, s) {
		return fmt.Errorf("not one of %s", strings.Join(v.choices, ", "))
	}
	*v.p = s
	return nil
}

// settings is doctor's report of the config file and of each setting:
// its value and where it came from.
func (r *doctorReport) settings() {
	env := r.env
	path := env.configPath()
	switch {
	case env.configErr != nil:
		r.line("FAIL", "config", "%v\nevery command but doctor refuses to run until it is fixed; the settings below leave it out", env.configErr)
	case path == "":
		r.line("ok", "config", "no config file: neither XDG_CONFIG_HOME nor HOME is set")
	case env.config.Path == "":
		r.line("ok", "config", "%s does not exist: no settings from a file", path)
	default:
		r.line("ok", "config", "%s read", path)
	}
	if env.settingErr != nil {
		r.line("FAIL", "setting", "%v", env.settingErr)
	}
	for _, s := range env.settings() {
		from := env.source(s)
		var value string
		switch {
		case from == "default":
			value = s.fallback(env)
		case s.on != nil:
			value = strconv.FormatBool(*s.on)
		default:
			value = *s.text
		}
		if s.kind == config.Path && filepath.IsAbs(value) && !exists(value) {
			from += "; does not exist"
		}
		r.line("ok", "setting", "%-15s %s (%s)", s.name, value, from)
	}
}
