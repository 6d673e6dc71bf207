package accessible

import (
	"fmt"
	"slices"
	"strings"

	"github.com/onus-gxp/onus/model"
)

// services selects and deselects services by id or name, and searches
// the catalog for the rest; each one is saved as it is selected.
func (s *session) services() error {
	help := func() {
		s.say("An id (ec2) or a name (Amazon EC2), in any case, selects the service, or deselects it when it is selected. Several go separated by commas. Any other words search ids, names and categories, and list what matches, numbered, to choose from. Enter alone ends the step.")
		s.say("Selected now: %s.", s.selectedServices())
	}
	s.say("")
	s.say("Services: %d of %d selected: %s.", len(s.a.Services), len(s.cat.Services), s.selectedServices())
	s.say("Type a service's id or name to select it or, when selected, to deselect it; other words search. Enter alone when done.")
	for {
		in, err := s.ask("Service, or enter when done:", help)
		if err != nil || in == "" {
			return err
		}
		for _, term := range strings.Split(in, ",") {
			term = strings.TrimSpace(term)
			if term == "" {
				continue
			}
			if svc, ok := s.serviceNamed(term); ok {
				s.toggleService(svc)
				continue
			}
			if err := s.searchServices(term); err != nil {
				return err
			}
		}
	}
}

func (s *session) selectedServices() string {
	if len(s.a.Services) == 0 {
		return "none"
	}
	var names []string
	for _, sel := range s.a.Services {
		if svc, ok := s.cat.Service(sel.ID); ok {
			names = append(names, serviceName(svc))
		} else {
			names = append(names, line(sel.ID)+" (not in this catalog)")
		}
	}
	return strings.Join(names, ", ")
}

func serviceName(svc model.Service) string { return line(svc.Name) + " (" + line(svc.ID) + ")" }

// serviceNamed is the service whose id or name is term, in any case.
func (s *session) serviceNamed(term string) (model.Service, bool) {
	for _, svc := range s.cat.Services {
		if strings.EqualFold(svc.ID, term) || strings.EqualFold(svc.Name, term) {
			return svc, true
		}
	}
	return model.Service{}, false
}

func (s *session) isSelected(id string) bool {
	return slices.ContainsFunc(s.a.Services, func(x model.SelectedService) bool { return x.ID == id })
}

// toggleService selects a service, or deselects it, and saves that.
func (s *session) toggleService(svc model.Service) {
	if s.isSelected(svc.ID) {
		a, err := s.cfg.Store.DeselectServices(s.a.ID, []string{svc.ID})
		s.saved(a, err, fmt.Sprintf("deselected %s; %d selected", serviceName(svc), len(a.Services)))
		return
	}
	a, err := s.cfg.Store.SelectServices(s.a.ID, []string{svc.ID})
	s.saved(a, err, fmt.Sprintf("selected %s; %d selected", serviceName(svc), len(a.Services)))
}

// searchServices lists the services whose id, name, category or model
// holds every word of term, and toggles the ones chosen by number.
func (s *session) searchServices(term string) error {
	words := strings.Fields(strings.ToLower(term))
	var found []model.Service
	for _, svc := range s.cat.Services {
		text := strings.ToLower(svc.ID + " " + svc.Name + " " + string(svc.Category) + " " + string(svc.Model))
		if !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(text, w) }) {
			found = append(found, svc)
		}
	}
	if len(found) == 0 {
		ids := make([]string, len(s.cat.Services))
		for i, svc := range s.cat.Services {
			ids[i] = svc.ID
		}
		msg := fmt.Sprintf("No service matches %q.", line(term))
		if near := model.Closest(term, ids, 3); len(near) > 0 {
			msg += " Did you mean " + line(strings.Join(near, ", ")) + "?"
		}
		s.say("%s", msg)
		return nil
	}
	s.say("%s", matches(len(found), "service", "services", term))
	list := func() {
		for i, svc := range found {
			state := "not selected"
			if s.isSelected(svc.ID) {
				state = "selected"
			}
			s.say("  %d. %s, %s, %s, %s", i+1, serviceName(svc), line(string(svc.Model)), line(string(svc.Category)), state)
		}
	}
	list()
	for {
		prompt := fmt.Sprintf("Type the numbers to select or deselect, 1 to %d, separated by spaces; or enter for none:", len(found))
		if len(found) == 1 {
			prompt = "Type 1 to select or deselect it, or enter for none:"
		}
		in, err := s.ask(prompt, func() {
			s.say("A selected service is deselected, and one not selected is selected.")
			list()
		})
		if err != nil || in == "" {
			return err
		}
		picked, err := numbers(in, len(found))
		if err != nil {
			s.fail("Not taken", err)
			continue
		}
		for _, i := range picked {
			s.toggleService(found[i-1])
		}
		return nil
	}
}
