package iac

import (
	"encoding/json"
	"sort"
)

// cdkManifest is the part of a cloud assembly's manifest.json that names
// its stacks' templates and its nested assemblies (CDK stages).
type cdkManifest struct {
	Artifacts map[string]struct {
		Type       string `json:"type"`
		Properties struct {
			TemplateFile  string `json:"templateFile"`
			DirectoryName string `json:"directoryName"`
		} `json:"properties"`
	} `json:"artifacts"`
}

// cdkAssembly reads the templates a CDK cloud assembly holds: each stack's
// template, the nested stacks those name through their asset paths, and
// the assemblies of CDK stages.
func (s *scanner) cdkAssembly(p string, data []byte, depth int) error {
	var m cdkManifest
	if err := json.Unmarshal(data, &m); err != nil {
		return &Error{Path: p, Msg: "not a CDK cloud assembly manifest: " + err.Error()}
	}
	ids := make([]string, 0, len(m.Artifacts))
	for id := range m.Artifacts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		a := m.Artifacts[id]
		var err error
		switch {
		case a.Type == "aws:cloudformation:stack" && a.Properties.TemplateFile != "":
			err = s.follow(p, id, "CDK stack", a.Properties.TemplateFile, depth)
		case a.Type == "cdk:cloud-assembly" && a.Properties.DirectoryName != "":
			err = s.follow(p, id, "CDK stage", a.Properties.DirectoryName+"/manifest.json", depth)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
