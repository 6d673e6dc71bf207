package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/muesli/mango"
	"github.com/muesli/roff"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// newManCmd is the hidden `onus man`, which `make man` runs: the manual
// page onus(1), built with mango (which fang uses for its own) from the
// command tree, so it lists exactly the commands and options help shows.
func newManCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:    "man",
		Short:  "print the manual page onus(1) in roff",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			_, err := fmt.Fprint(env.Stdout, manPage(c.Root(), manDate(env.Getenv)))
			return err
		},
	}
}

// manPage renders root's visible commands and options, the environment,
// files, exit codes and every command's examples.
func manPage(root *cobra.Command, date time.Time) string {
	page := mango.NewManPage(1, root.Name(), root.Short).WithLongDescription(paragraphs(root.Long))
	addFlags(&page.Root, root.NonInheritedFlags())
	examples := []string{root.Example}
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() {
			_ = page.Root.AddCommand(manCommand(c)) // names are unique in a cobra tree
			examples = append(examples, c.Example)
		}
	}
	page.WithSection("Environment", `ONUS_DB: the database file, as --db.
ONUS_CATALOG: a catalog file, as --catalog.
ONUS_EXTENSION: catalog extensions, as --extension (paths separated as in PATH).
ONUS_USER: the name recorded in the audit trail, as --as.
ONUS_ALLOWED_SIGNERS: the allowed-signers file, as --allowed-signers.
ONUS_EXPORT_DIR, ONUS_THEME, ONUS_NO_MOUSE: the wizard's --export-dir, --theme and --no-mouse.
ONUS_CONFIG: another config file instead of the default one.
ONUS_PASSPHRASE: the passphrase of export --passphrase and import --passphrase, for scripts; without it onus asks on the terminal.
XDG_DATA_HOME: where the default database lives.
XDG_CONFIG_HOME: where the config file lives.
NO_COLOR: any value turns colour off, in the wizard, in help and in errors.
An option wins over its environment variable, which wins over the config file.`).
		WithSection("Files", `$XDG_DATA_HOME/onus/onus.db (else ~/.local/share/onus/onus.db): the default database, with its backups beside it in onus.db.backups.
$XDG_CONFIG_HOME/onus/config.toml (else ~/.config/onus/config.toml): the config file, one key per option: `+settingNames()+` (true or false); paths absolute or ~/...`).
		WithSection("Exit status", `0 ok, 1 error, 2 usage, 3 database in use, 4 database damaged, 130 interrupted (128 plus the signal for others that stop the wizard).`)
	var b strings.Builder
	b.WriteString(page.Build(datedDocument{roff.NewDocument(), date}))
	// Examples keep their lines as typed (mango would make each a paragraph).
	b.WriteString("\n.SH EXAMPLES\n.nf\n")
	for _, ex := range examples {
		for _, line := range strings.Split(ex, "\n") {
			if line != "" {
				b.WriteString(roffLiteral(line) + "\n")
			}
		}
	}
	b.WriteString(".fi\n")
	return b.String()
}

func manCommand(c *cobra.Command) *mango.Command {
	cmd := mango.NewCommand(c.Name(), c.Short, c.Use)
	addFlags(cmd, c.NonInheritedFlags())
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() {
			_ = cmd.AddCommand(manCommand(sub))
		}
	}
	return cmd
}

func addFlags(cmd *mango.Command, flags *pflag.FlagSet) {
	flags.VisitAll(func(f *pflag.Flag) {
		switch {
		case f.Hidden:
		case f.Shorthand != "":
			// mango would print the shorthand with two dashes too.
			_ = cmd.AddFlag(mango.Flag{Name: "-" + f.Name, Short: f.Shorthand, Usage: f.Usage})
		default:
			_ = cmd.AddFlag(mango.Flag{Name: f.Name, Usage: f.Usage, PFlag: true})
		}
	})
}

// paragraphs joins the lines of each paragraph of help text, which mango
// would otherwise set as paragraphs of their own.
func paragraphs(text string) string {
	ps := strings.Split(text, "\n\n")
	for i, p := range ps {
		ps[i] = strings.Join(strings.Fields(p), " ")
	}
	return strings.Join(ps, "\n")
}

// roffLiteral escapes a line for roff: backslashes, minus signs (so that
// options copy as typed), and a leading control character.
func roffLiteral(line string) string {
	line = strings.NewReplacer(`\`, `\e`, "-", `\-`).Replace(line)
	if strings.HasPrefix(line, ".") || strings.HasPrefix(line, "'") {
		line = `\&` + line
	}
	return line
}

// datedDocument gives the page a fixed date instead of mango's time.Now,
// so that one commit makes the same page.
type datedDocument struct {
	*roff.Document
	date time.Time
}

func (d datedDocument) Heading(section uint, title, description string, _ time.Time) {
	d.Document.Heading(section, title, description, d.date)
}

// manDate is SOURCE_DATE_EPOCH when set, else the commit date the build
// was stamped with, else today.
func manDate(getenv func(string) string) time.Time {
	if s, err := strconv.ParseInt(getenv("SOURCE_DATE_EPOCH"), 10, 64); err == nil {
		return time.Unix(s, 0).UTC()
	}
	if _, _, d := build(); d != "" {
		if t, err := time.Parse(time.RFC3339, d); err == nil {
			return t.UTC()
		}
	}
	return time.Now().UTC()
}
