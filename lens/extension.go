package lens

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/onus-gxp/onus/model"
)

// ExtensionFormat names the file of a catalog extension.
const (
	ExtensionFormat  = "onus-catalog-extension"
	ExtensionVersion = 1
	// MaxExtensionBytes caps an extension file before it is parsed.
	MaxExtensionBytes = 16 << 20
)

// Extension is a question set that comes from outside the catalog, such
// as an imported lens: domains and controls added to the catalog, and
// the questions that map to controls the catalog already has. It is
// merged with the catalog it was made for (Merge) and validated with it,
// and an assessment made with it records the merged catalog's version,
// which names the extension and its hash, and the merged catalog's hash.
type Extension struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	// ID names the extension in the merged catalog's version and is the
	// prefix of its domain and control ids.
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Source is the file the extension was made from.
	Source   Source          `json:"source"`
	Domains  []model.Domain  `json:"domains"`
	Controls []model.Control `json:"controls"`
	// Mapped lists the questions the catalog's own controls ask already.
	Mapped []Mapping `json:"mapped,omitempty"`
}

// Source is the lens file an extension was made from.
type Source struct {
	File          string `json:"file"`
	SHA256        string `json:"sha256"`
	SchemaVersion string `json:"schema_version"`
	Name          string `json:"name"`
}

// Mapping says which catalog control asks a lens question.
type Mapping struct {
	Pillar   string `json:"pillar"`
	Question string `json:"question"`
	Control  string `json:"control"`
}

// Encode is the extension's file: Onus's canonical JSON.
func (e *Extension) Encode() ([]byte, error) { return model.EncodeJSON(e) }

// Hash is the SHA-256 of the extension's canonical encoding.
func (e *Extension) Hash() string {
	b, err := e.Encode()
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// DecodeExtension reads an extension file, refusing oversized input,
// unknown formats and versions, and unknown fields.
func DecodeExtension(data []byte) (*Extension, error) {
	if len(data) > MaxExtensionBytes {
		return nil, fmt.Errorf("extension is %d bytes; extensions are limited to %d MiB", len(data), MaxExtensionBytes>>20)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var e Extension
	if err := dec.Decode(&e); err != nil {
		return nil, fmt.Errorf("not a valid onus catalog extension: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("not a valid onus catalog extension: data after the JSON document")
	}
	if e.Format != ExtensionFormat {
		return nil, fmt.Errorf("not an onus catalog extension (format %q)", e.Format)
	}
	if e.Version != ExtensionVersion {
		return nil, fmt.Errorf("catalog extension version %d is not supported (this onus reads version %d)", e.Version, ExtensionVersion)
	}
	return &e, nil
}

// Merge adds extensions to a catalog and validates the result exactly as
// a catalog file is validated: a domain or control id that meets one of
// the catalog's, a layer or evidence the catalog does not have, or a
// mapping to a control it does not have, is refused. The merged catalog's
// version is the catalog's with each extension's id and hash appended
// ("2026.12.0+lens-privacy.3f2a9c1d0b7e"), and its hash covers all of
// it, so an assessment records exactly which question set it answered.
func Merge(base *model.Catalog, exts ...*Extension) (*model.Catalog, error) {
	if len(exts) == 0 {
		return base, nil
	}
	src, err := base.EncodeJSON()
	if err != nil {
		return nil, err
	}
	var merged model.Catalog
	if err := json.Unmarshal(src, &merged); err != nil {
		return nil, err
	}
	var names []string
	for _, e := range exts {
		for _, m := range e.Mapped {
			if _, ok := base.Control(m.Control); !ok {
				return nil, fmt.Errorf("extension %s maps question %s to control %s, which catalog %s %s does not have", e.ID, m.Question, m.Control, base.Name, base.Version)
			}
		}
		merged.Domains = append(merged.Domains, e.Domains...)
		merged.Controls = append(merged.Controls, e.Controls...)
		merged.Version += "+" + e.ID + "." + e.Hash()[:12]
		names = append(names, e.Name)
	}
	merged.Description = strings.TrimSpace(merged.Description + " Extended with: " + strings.Join(names, "; ") + ".")
	out, err := merged.EncodeJSON()
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(exts))
	for i, e := range exts {
		ids[i] = e.ID
	}
	return model.ParseCatalog(out, base.Version+" with "+strings.Join(ids, ", "))
}
