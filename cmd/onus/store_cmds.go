package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"runtime/debug"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
	"github.com/onus-gxp/onus/tui"
)

func init() {
	for _, c := range []command{
		{name: "new", args: "--name NAME [--org O] [--system S] [--services ec2,rds,s3] [--framework 21cfr11,annex11] [--impact direct|indirect|none] [--json]",
			summary: "create an assessment and print its id",
			example: `onus new --name "LIMS on AWS" --org Acme --system LIMS --services ec2,rds,s3 --framework 21cfr11,annex11`, run: runNew},
		{name: "list", args: "[--all] [--json]", summary: "list assessments (--all includes deleted ones)", example: "onus list --json", run: runList},
		{name: "show", args: "ID [--json]", summary: "show an assessment with its answers", example: "onus show 01jd3k5x7m2q8r4t --json", run: runShow},
		{name: "history", args: "ID [--json]", summary: "print an assessment's audit trail", example: "onus history 01jd3k5x7m2q8r4t", run: runHistory},
		{name: "answer", args: "ID CONTROL_ID --status S [--evidence TEXT]... [--note TEXT] [--justification TEXT] [--reason TEXT]",
			summary: "answer one control (status implemented|partial|planned|not-implemented|not-applicable|unanswered)",
			example: `onus answer 01jd3k5x7m2q8r4t AT-01 --status implemented --evidence "OQ report|OQ-042|2.0|2026-10-01|DMS/val/OQ-042|customer"`, run: runAnswer},
		{name: "services", args: "ID [--add ID,...] [--remove ID,...]", summary: "select or deselect services; prints the selection",
			example: "onus services 01jd3k5x7m2q8r4t --add lambda,dynamodb --remove ec2", run: runServices},
		{name: "override", args: "ID SERVICE LAYER --owner aws|customer|shared --justification TEXT | --clear",
			summary: "move one layer of a selected service to another owner for this assessment, or clear that; prints the stack",
			example: `onus override 01jd3k5x7m2q8r4t ec2 os --owner shared --justification "OS patched under managed-service contract MS-12"`, run: runOverride},
		{name: "export", args: "ID --format md|html|csv|json|oscal-ar|oscal-cd [--as-of TIME] [-o FILE]", summary: "export a report, the evidence matrix, the bundle (json) or OSCAL",
			example: "onus export 01jd3k5x7m2q8r4t --format html -o lims.html\n  onus export 01jd3k5x7m2q8r4t --format json -o lims.json   # for onus import\n  onus export 01jd3k5x7m2q8r4t --format md --as-of 2026-10-01   # as it stood then", run: runExport},
		{name: "import", args: "FILE", summary: "import a bundle after checking its audit chain", example: "onus import lims.json", run: runImport},
		{name: "verify", args: "[ID] [--json]", summary: "check the file's structure and every audit chain", example: "onus verify", run: runVerify},
		{name: "delete", args: "ID [--reason TEXT]", summary: "delete an assessment (recorded, restorable)", example: `onus delete 01jd3k5x7m2q8r4t --reason "superseded"`, run: runDelete},
		{name: "restore", args: "ID", summary: "restore a deleted assessment", example: "onus restore 01jd3k5x7m2q8r4t", run: runRestore},
		{name: "purge", args: "ID --yes", summary: "remove an assessment and its trail for good", example: "onus purge 01jd3k5x7m2q8r4t --yes", run: runPurge},
	} {
		register(c)
	}
}

// actor is who changes are attributed to: --as, ONUS_USER, else the OS user.
func (env *Env) actor() string {
	if env.Actor != "" {
		return env.Actor
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if n := env.Getenv("USER"); n != "" {
		return n
	}
	return "unknown"
}

// OpenStore opens the database in effect and prints its warnings.
func (env *Env) OpenStore(readOnly bool, cat *model.Catalog) (*store.DB, error) {
	opt := store.Options{ReadOnly: readOnly}
	if cat != nil {
		opt.Progress = cat.Progress
	}
	return env.openStore(opt)
}

// openForWizard opens the database and starts reading the first list at
// once, and leaves what the first screen does not need for later: the
// rest of the file's check (store.Options.BackgroundCheck) and the parse
// of the embedded catalog. A catalog from a file is loaded first, so that
// its problems print as they do for every other command.
func (env *Env) openForWizard() (catalog func() *model.Catalog, db *store.DB, firstList func() ([]model.Summary, error), err error) {
	if env.CatalogPath != "" {
		cat, err := env.Catalog()
		if err != nil {
			return nil, nil, nil, err
		}
		catalog = func() *model.Catalog { return cat }
	} else {
		load := sync.OnceValues(env.Catalog) // first called by the wizard, after its first screen
		catalog = func() *model.Catalog {
			cat, err := load()
			if err != nil { // TestEmbeddedCatalogIsGeneratedFromYAML keeps this from happening
				panic(fmt.Sprintf("the embedded catalog does not load: %v", err))
			}
			return cat
		}
	}
	db, err = env.openStore(store.Options{BackgroundCheck: true,
		Progress: func(a *model.Assessment) (int, int) { return catalog().Progress(a) }})
	if err != nil {
		return nil, nil, nil, err
	}
	// The list's goroutine is Onus's own, outside Bubble Tea: a panic in it
	// is carried to the wizard, which stops the way it stops on any other.
	firstList = sync.OnceValues(func() (list []model.Summary, err error) {
		defer func() {
			if r := recover(); r != nil {
				err = &tui.PanicError{Value: r, Stack: debug.Stack()}
			}
		}()
		if env.Getenv("ONUS_TEST_PANIC") == "list" { // tests only: see panic_test.go
			panic("test panic in the first list (ONUS_TEST_PANIC=list)")
		}
		return db.List(false)
	})
	go firstList()
	return catalog, db, firstList, nil
}

func (env *Env) openStore(opt store.Options) (*store.DB, error) {
	path := env.DBPath
	if path == "" {
		p, err := store.DefaultPath(env.Getenv)
		if err != nil {
			return nil, err
		}
		path = p
	}
	opt.Actor = env.actor()
	db, err := store.Open(path, opt)
	if err != nil {
		return nil, err
	}
	for _, w := range db.Warnings() {
		fmt.Fprintln(env.Stderr, "onus: warning:", w)
	}
	return db, nil
}

// withStore loads the catalog, opens the store, runs fn and closes.
func (env *Env) withStore(readOnly bool, fn func(cat *model.Catalog, db *store.DB) error) error {
	cat, err := env.Catalog()
	if err != nil {
		return err
	}
	return env.withCatalogStore(readOnly, cat, fn)
}

// withReader opens the store read-only without the catalog, for commands
// that only read what is stored (list, history, verify): they work even
// with a broken --catalog, and start faster.
func (env *Env) withReader(fn func(db *store.DB) error) error {
	return env.withCatalogStore(true, nil, func(_ *model.Catalog, db *store.DB) error { return fn(db) })
}

func (env *Env) withCatalogStore(readOnly bool, cat *model.Catalog, fn func(cat *model.Catalog, db *store.DB) error) error {
	db, err := env.OpenStore(readOnly, cat)
	if err != nil {
		return err
	}
	err = fn(cat, db)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return err
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func printJSON(w io.Writer, v any) error {
	out, err := model.EncodeJSON(v)
	if err == nil {
		_, err = w.Write(out)
	}
	return err
}

func oneID(pos []string, usage string) (string, error) {
	if len(pos) != 1 {
		return "", usagef("usage: onus %s", usage)
	}
	return pos[0], nil
}

func runNew(env *Env, args []string) error {
	fs := env.newFlags("new")
	name := fs.String("name", "", "assessment name (required)")
	org := fs.String("org", "", "organisation")
	system := fs.String("system", "", "system under assessment")
	services := fs.String("services", "", "comma-separated service ids")
	frameworks := fs.String("framework", "", "comma-separated framework ids (default: all)")
	impact := fs.String("impact", "direct", "GxP impact: direct, indirect or none")
	multi := fs.Bool("multi-tenant", false, "the solution serves several tenants")
	open := fs.Bool("open-system", false, "the system is reachable from outside the organisation")
	esig := fs.Bool("esignatures", false, "electronic signatures are used")
	class := fs.String("classification", "", "data classification")
	asJSON := fs.Bool("json", false, "print the assessment as JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("new takes no arguments, only options (got %q)", pos[0])
	}
	if strings.TrimSpace(*name) == "" {
		return usagef("new needs --name")
	}
	if !model.GxPImpact(*impact).Valid() {
		return usagef("--impact must be direct, indirect or none")
	}
	return env.withStore(false, func(cat *model.Catalog, db *store.DB) error {
		ids := splitList(*services)
		if err := cat.CheckServices(ids); err != nil {
			return err
		}
		fws := splitList(*frameworks)
		for _, f := range fws {
			if _, ok := cat.Framework(f); !ok {
				return fmt.Errorf("unknown framework %q", f)
			}
		}
		a := model.Assessment{
			Name: *name, Organisation: *org, System: *system,
			Scope: model.Scope{Impact: model.GxPImpact(*impact), Frameworks: fws, MultiTenant: *multi,
				OpenSystem: *open, ESignatures: *esig, DataClassification: *class},
			Services: model.Select(ids...),
			Catalog:  model.CatalogRef{Version: cat.Version, Hash: cat.Hash},
		}
		a, err := db.Create(a)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env.Stdout, a)
		}
		fmt.Fprintln(env.Stdout, a.ID)
		return nil
	})
}

func runList(env *Env, args []string) error {
	fs := env.newFlags("list")
	all := fs.Bool("all", false, "include deleted assessments")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	var sums []model.Summary
	err := env.withReader(func(db *store.DB) error {
		var err error
		sums, err = db.List(*all)
		return err
	})
	if err != nil && !errors.Is(err, store.ErrNoDatabase) { // no file yet: nothing to list
		return err
	}
	if *asJSON {
		if sums == nil {
			sums = []model.Summary{}
		}
		return printJSON(env.Stdout, sums)
	}
	if len(sums) == 0 {
		fmt.Fprintln(env.Stderr, "no assessments yet: create one with onus new --name NAME, or run onus")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSYSTEM\tSTATUS\tPROGRESS\tUPDATED")
	for _, s := range sums {
		status := string(s.Workflow)
		if s.Deleted {
			status += " (deleted)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d/%d\t%s\n", s.ID, safetext.Line(s.Name), safetext.Line(s.System), status,
			s.Answered, s.Applicable, s.UpdatedAt.Local().Format("2006-01-02 15:04"))
	}
	return tw.Flush()
}

func runShow(env *Env, args []string) error {
	fs := env.newFlags("show")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	id, err := oneID(pos, "show ID [--json]")
	if err != nil {
		return err
	}
	return env.withStore(true, func(cat *model.Catalog, db *store.DB) error {
		a, err := db.Get(id)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env.Stdout, a)
		}
		return printAssessment(env.Stdout, cat, &a)
	})
}

func printAssessment(w io.Writer, cat *model.Catalog, a *model.Assessment) error {
	l := safetext.Line
	fmt.Fprintf(w, "%s  %s\n", a.ID, l(a.Name))
	fmt.Fprintf(w, "organisation: %s   system: %s   status: %s\n", l(a.Organisation), l(a.System), a.Workflow)
	fmt.Fprintf(w, "GxP impact: %s   frameworks: %s   multi-tenant: %t   open system: %t   e-signatures: %t\n",
		a.Scope.Impact, l(orAll(a.Scope.Frameworks)), a.Scope.MultiTenant, a.Scope.OpenSystem, a.Scope.ESignatures)
	fmt.Fprintf(w, "services: %s\n", l(orNone(a.ServiceIDs())))
	fmt.Fprintf(w, "catalog: %s (%s)\n", l(a.Catalog.Version), l(shortHash(a.Catalog.Hash)))
	rev := cat.Review(a, time.Now())
	fmt.Fprintf(w, "answered %d of %d applicable controls; %d gaps\n\n", rev.Answered, len(rev.Applicable), len(rev.Gaps))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CONTROL\tOWNER\tSTATUS\tEVIDENCE\tTITLE")
	for _, c := range rev.Applicable {
		ans := a.Answer(c.ID)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", c.ID, rev.Resolutions[c.ID].Responsibility, ans.Status.Label(), len(ans.Evidence), l(c.Title))
	}
	return tw.Flush()
}

func orAll(s []string) string {
	if len(s) == 0 {
		return "all"
	}
	return strings.Join(s, ",")
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ",")
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func runHistory(env *Env, args []string) error {
	fs := env.newFlags("history")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	id, err := oneID(pos, "history ID [--json]")
	if err != nil {
		return err
	}
	return env.withReader(func(db *store.DB) error {
		trail, err := db.History(id)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env.Stdout, trail)
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SEQ\tTIME (UTC)\tACTOR\tACTION\tTARGET\tREASON\tHASH")
		for _, e := range trail {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Seq, e.Time.UTC().Format("2006-01-02 15:04:05"),
				safetext.Line(e.Actor), e.Action, safetext.Line(e.Target), safetext.Line(safetext.Truncate(e.Reason, 60)), shortHash(e.Hash))
		}
		return tw.Flush()
	})
}

// evidenceFlag collects repeated --evidence values.
type evidenceFlag []string

func (e *evidenceFlag) String() string     { return strings.Join(*e, "; ") }
func (e *evidenceFlag) Set(v string) error { *e = append(*e, v); return nil }

// parseEvidence reads "title" or "title|doc-id|version|date|location|supplier".
func parseEvidence(s string) (model.EvidenceRef, error) {
	f := strings.Split(s, "|")
	if len(f) > 6 {
		return model.EvidenceRef{}, usagef("--evidence has at most 6 fields: title|doc-id|version|date|location|supplier")
	}
	for len(f) < 6 {
		f = append(f, "")
	}
	ref := model.EvidenceRef{Title: strings.TrimSpace(f[0]), DocumentID: strings.TrimSpace(f[1]), Version: strings.TrimSpace(f[2]),
		Date: strings.TrimSpace(f[3]), Location: strings.TrimSpace(f[4]), Supplier: model.Supplier(strings.TrimSpace(f[5]))}
	if ref.Supplier == "" {
		ref.Supplier = model.SupplierCustomer
	}
	return ref, nil
}

func runAnswer(env *Env, args []string) error {
	fs := env.newFlags("answer")
	status := fs.String("status", "", "implemented, partial, planned, not-implemented, not-applicable or unanswered")
	var evidence evidenceFlag
	fs.Var(&evidence, "evidence", "evidence reference, repeatable: title or title|doc-id|version|date|location|supplier (supplier aws, customer or third-party; default customer)")
	note := fs.String("note", "", "notes")
	just := fs.String("justification", "", "why the control does not apply (required for not-applicable)")
	reason := fs.String("reason", "", "reason for the change, recorded in the audit trail")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("usage: onus answer ID CONTROL_ID --status S [--evidence TEXT]... [--note TEXT]")
	}
	st := model.Status(*status)
	if *status == "unanswered" {
		st = model.StatusUnanswered
	} else if !st.Valid() {
		return usagef("--status must be implemented, partial, planned, not-implemented, not-applicable or unanswered")
	}
	ans := model.Answer{Control: pos[1], Status: st, Notes: *note, Justification: *just}
	if st == model.StatusNotApplicable && ans.Justification == "" {
		ans.Justification = *reason
	}
	for _, e := range evidence {
		ref, err := parseEvidence(e)
		if err != nil {
			return err
		}
		ans.Evidence = append(ans.Evidence, ref)
	}
	return env.withStore(false, func(cat *model.Catalog, db *store.DB) error {
		if _, ok := cat.Control(ans.Control); !ok {
			ids := make([]string, len(cat.Controls))
			for i, c := range cat.Controls {
				ids[i] = c.ID
			}
			if near := model.Closest(ans.Control, ids, 3); len(near) > 0 {
				return fmt.Errorf("unknown control %q (did you mean %s?)", ans.Control, strings.Join(near, ", "))
			}
			return fmt.Errorf("unknown control %q", ans.Control)
		}
		if _, err := db.Answer(pos[0], ans, *reason); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "saved: %s %s\n", ans.Control, st.Label())
		return nil
	})
}

func runServices(env *Env, args []string) error {
	fs := env.newFlags("services")
	add := fs.String("add", "", "comma-separated service ids to select")
	remove := fs.String("remove", "", "comma-separated service ids to deselect")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	id, err := oneID(pos, "services ID [--add ID,...] [--remove ID,...]")
	if err != nil {
		return err
	}
	return env.withStore(*add == "" && *remove == "", func(cat *model.Catalog, db *store.DB) error {
		a, err := db.Get(id)
		if err != nil {
			return err
		}
		if ids := splitList(*add); len(ids) > 0 {
			if err := cat.CheckServices(ids); err != nil {
				return err
			}
			if a, err = db.SelectServices(id, ids); err != nil {
				return err
			}
		}
		if ids := splitList(*remove); len(ids) > 0 {
			if a, err = db.DeselectServices(id, ids); err != nil {
				return err
			}
		}
		for _, s := range a.Services {
			svc, ok := cat.Service(s.ID)
			name, mdl := "(not in this catalog)", ""
			if ok {
				name, mdl = svc.Name, string(svc.Model)
			}
			fmt.Fprintf(env.Stdout, "%-18s %-15s %s\n", s.ID, mdl, safetext.Line(name))
		}
		return nil
	})
}

func runOverride(env *Env, args []string) error {
	fs := env.newFlags("override")
	owner := fs.String("owner", "", "the layer's owner for this assessment: aws, customer or shared")
	just := fs.String("justification", "", "why it differs from the catalog (required with --owner; recorded in the trail)")
	clear := fs.Bool("clear", false, "remove this assessment's override of the layer")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 3 || *clear == (*owner != "") {
		return usagef("usage: onus override ID SERVICE LAYER --owner aws|customer|shared --justification TEXT, or ... --clear")
	}
	id, service, layer := pos[0], pos[1], pos[2]
	return env.withStore(false, func(cat *model.Catalog, db *store.DB) error {
		if err := cat.CheckServices([]string{service}); err != nil {
			return err
		}
		if err := cat.CheckLayer(layer); err != nil {
			return err
		}
		var a model.Assessment
		if *clear {
			a, err = db.ClearOverride(id, service, layer)
		} else {
			a, err = db.SetOverride(id, service, model.ServiceOverride{Layer: layer, Owner: model.Owner(*owner), Justification: *just})
		}
		if err != nil {
			return err
		}
		for _, sel := range a.Services {
			if sel.ID == service {
				return drawStacks(env, cat, []model.SelectedService{sel}, 0, false, false)
			}
		}
		return nil
	})
}

func runExport(env *Env, args []string) error {
	fs := env.newFlags("export")
	format := fs.String("format", "json", "output format: md, html, csv, json, oscal-ar or oscal-cd")
	out := fs.String("o", "", "write to FILE instead of standard output")
	asOf := fs.String("as-of", "", "the assessment as it stood at TIME (RFC 3339, or YYYY-MM-DD for the end of that day, UTC), rebuilt from its audit trail")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	id, err := oneID(pos, "export ID --format FORMAT [--as-of TIME] [-o FILE]")
	if err != nil {
		return err
	}
	var at time.Time
	if *asOf != "" {
		if at, err = model.ParseAsOf(*asOf); err != nil {
			return usagef("--as-of %v", err)
		}
	}
	return env.withStore(true, func(cat *model.Catalog, db *store.DB) error {
		b, err := db.Export(id)
		if err != nil {
			return err
		}
		if !at.IsZero() {
			if b, err = b.AsOf(at); err != nil {
				return err
			}
		}
		data, err := renderExportAt(*format, cat, b, at)
		if err != nil {
			return err
		}
		if *out == "" {
			_, err = env.Stdout.Write(data)
			return err
		}
		if err := writeFileAtomic(*out, data); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "wrote %s (%d bytes, trail head %s)\n", *out, len(data), shortHash(model.Head(b.Trail)))
		return nil
	})
}

// writeFileAtomic writes via a temporary file and a rename, so a reader
// never sees half a report.
func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

func runImport(env *Env, args []string) error {
	fs := env.newFlags("import")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	path, err := oneID(pos, "import FILE")
	if err != nil {
		return err
	}
	data, err := readCapped(path, model.MaxBundleBytes)
	if err != nil {
		return err
	}
	b, err := model.DecodeBundle(data)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return env.withStore(false, func(_ *model.Catalog, db *store.DB) error {
		a, err := db.Import(b)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		fmt.Fprintf(env.Stderr, "imported %s (%d audit entries, head %s)\n", safetext.Line(a.Name), len(b.Trail), shortHash(model.Head(b.Trail)))
		fmt.Fprintln(env.Stdout, a.ID)
		return nil
	})
}

func runVerify(env *Env, args []string) error {
	fs := env.newFlags("verify")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("usage: onus verify [ID]")
	}
	return env.withReader(func(db *store.DB) error {
		var results []store.VerifyResult
		if len(pos) == 1 {
			results = []store.VerifyResult{db.Verify(pos[0])}
		} else {
			var err error
			if results, err = db.VerifyAll(); err != nil {
				return err
			}
		}
		bad := 0
		for _, r := range results {
			if r.Err != "" {
				bad++
			}
		}
		if *asJSON {
			if results == nil {
				results = []store.VerifyResult{}
			}
			if err := printJSON(env.Stdout, results); err != nil {
				return err
			}
		} else {
			for _, r := range results {
				if r.Err != "" {
					fmt.Fprintf(env.Stdout, "FAIL  %s  %s: %s\n", r.ID, safetext.Line(r.Name), r.Err)
				} else {
					fmt.Fprintf(env.Stdout, "ok    %s  %s: %d entries, head %s\n", r.ID, safetext.Line(r.Name), r.Entries, r.Head)
				}
			}
			fmt.Fprintf(env.Stdout, "%s: structure ok; %d assessments checked, %d failed\n", db.Path(), len(results), bad)
		}
		if bad > 0 {
			return errors.New("integrity check failed")
		}
		return nil
	})
}

func runDelete(env *Env, args []string) error {
	fs := env.newFlags("delete")
	reason := fs.String("reason", "", "why, recorded in the audit trail")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	id, err := oneID(pos, "delete ID [--reason TEXT]")
	if err != nil {
		return err
	}
	return env.withStore(false, func(_ *model.Catalog, db *store.DB) error {
		if _, err := db.Delete(id, *reason); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "deleted %s (restore with: onus restore %s)\n", id, id)
		return nil
	})
}

func runRestore(env *Env, args []string) error {
	fs := env.newFlags("restore")
	reason := fs.String("reason", "", "why, recorded in the audit trail")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	id, err := oneID(pos, "restore ID")
	if err != nil {
		return err
	}
	return env.withStore(false, func(_ *model.Catalog, db *store.DB) error {
		_, err := db.Restore(id, *reason)
		return err
	})
}

func runPurge(env *Env, args []string) error {
	fs := env.newFlags("purge")
	yes := fs.Bool("yes", false, "confirm: the assessment and its audit trail are removed for good")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	id, err := oneID(pos, "purge ID --yes")
	if err != nil {
		return err
	}
	if !*yes {
		return usagef("purge removes the assessment and its audit trail for good; add --yes to confirm (or use onus delete, which can be undone)")
	}
	return env.withStore(false, func(_ *model.Catalog, db *store.DB) error {
		return db.Purge(id)
	})
}
