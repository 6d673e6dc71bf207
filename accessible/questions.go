package accessible

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/onus-gxp/onus/model"
)

// The choices at a question, numbered as the wizard's keys 1 to 5 are.
var questionChoices = []string{
	"implemented", "partial", "planned", "not implemented", "not applicable",
	"link evidence", "unlink evidence", "notes", "clear the answer",
	"previous question", "go to a question", "back to the assessment",
}

const (
	qNotApplicable = iota + 5
	qLinkEvidence
	qUnlinkEvidence
	qNotes
	qClear
	qPrevious
	qGoTo
	qBack
)

// allQuestionCodes numbers questionChoices as they are; a read-only
// assessment's questions take only the moves.
var (
	allQuestionCodes = []int{1, 2, 3, 4, qNotApplicable, qLinkEvidence, qUnlinkEvidence, qNotes, qClear, qPrevious, qGoTo, qBack}
	readOnlyChoices  = []string{"previous question", "go to a question", "back to the assessment"}
	readOnlyCodes    = []int{qPrevious, qGoTo, qBack}
)

// statusChoices are the statuses choices 1 to 5 give.
var statusChoices = []model.Status{model.StatusImplemented, model.StatusPartial, model.StatusPlanned, model.StatusNotImplemented, model.StatusNotApplicable}

// questionOrder is the applicable controls as the wizard orders them:
// by the catalog's domains, then any in a domain the catalog does not list.
func (s *session) questionOrder() []string {
	var order []string
	for _, d := range s.cat.Domains {
		for _, c := range s.review.Applicable {
			if c.Domain == d.ID {
				order = append(order, c.ID)
			}
		}
	}
	for _, c := range s.review.Applicable {
		if !slices.Contains(order, c.ID) {
			order = append(order, c.ID)
		}
	}
	return order
}

// questions asks the applicable controls one after another, from the
// control at, else from the first unanswered one. An answer is saved at
// once and, when it is a status, moves on to the next question.
func (s *session) questions(at string) error {
	order := s.questionOrder()
	s.say("")
	if len(order) == 0 {
		s.say("Questions: no control applies with this scope and these services. Check the scope and the services.")
		return nil
	}
	i := slices.Index(order, at)
	switch {
	case i >= 0:
		s.say("Questions: %d of %d answered.", s.review.Answered, len(order))
	case s.review.Answered == len(order):
		i = 0
		s.say("Questions: all %d answered. Here is the first.", len(order))
	default:
		i = slices.IndexFunc(order, func(id string) bool { return s.a.Answer(id).Status == model.StatusUnanswered })
		s.say("Questions: %d of %d answered. Here is the first unanswered one.", s.review.Answered, len(order))
	}
	show := true
	for {
		id := order[i]
		if show {
			s.showQuestion(i, order)
		}
		show = true
		choices, codes, help := s.questionChoices()
		n, err := s.pick(len(choices), 0, help,
			func() {
				for i, c := range choices {
					s.say("  %d. %s", i+1, c)
				}
			}, "for the next question")
		if err != nil {
			return err
		}
		if n > 0 {
			n = codes[n-1]
		}
		ans := s.a.Answer(id)
		switch n {
		case 0:
			if i == len(order)-1 {
				s.say("That was the last question; %d of %d are answered.", s.review.Answered, len(order))
				return nil
			}
			i++
			continue
		case 1, 2, 3, 4, qNotApplicable:
			moved, err := s.answerStatus(ans, statusChoices[n-1])
			if err != nil {
				return err
			}
			if !moved {
				break
			}
			if i == len(order)-1 {
				s.say("That was the last question; %d of %d are answered.", s.review.Answered, len(order))
				return nil
			}
			i++
			continue
		case qLinkEvidence:
			if err := s.linkEvidence(id); err != nil {
				return err
			}
		case qUnlinkEvidence:
			if err := s.unlinkEvidence(id); err != nil {
				return err
			}
		case qNotes:
			v, err := s.text("Notes", ans.Notes, false, "Anything a reviewer should know about the answer.", limit("notes", model.MaxTextBytes))
			if err != nil {
				return err
			}
			if v == ans.Notes {
				s.say("Unchanged.")
				break
			}
			next := ans
			next.Notes = v
			s.saveAnswer(next, line(id)+" notes")
		case qClear:
			if ans.Status == model.StatusUnanswered {
				s.say("%s is not answered.", line(id))
				break
			}
			next := ans
			next.Status, next.Justification = model.StatusUnanswered, ""
			s.saveAnswer(next, line(id)+" cleared")
		case qPrevious:
			if i == 0 {
				s.say("This is the first question.")
				break
			}
			i--
			continue
		case qGoTo:
			j, ok, err := s.goTo(order)
			if err != nil {
				return err
			}
			if ok {
				i = j
				continue
			}
		case qBack:
			return nil
		}
		// Still on the same question: its answer as it stands now.
		show = false
		s.say("%s", s.answerLine(s.a.Answer(id)))
	}
}

// showQuestion reads out question i: where it is, what it asks, who owns
// it and why, and the answer so far.
func (s *session) showQuestion(i int, order []string) {
	c, _ := s.cat.Control(order[i])
	res := s.review.Resolutions[c.ID]
	domain := c.Domain
	if d, ok := s.cat.Domain(c.Domain); ok {
		domain = d.Name
	}
	var refs []string
	for _, r := range c.Refs {
		refs = append(refs, r.String())
	}
	s.say("")
	s.say("Question %d of %d, %s. %s, %s. Criticality %s. Clauses: %s.", i+1, len(order), line(domain), line(c.ID), line(c.Title), c.Criticality, line(strings.Join(refs, "; ")))
	s.say("%s", line(c.Question))
	s.say("%s", owner(res))
	why := res.Reason()
	s.say("Why: %s", line(why))
	for _, p := range partsUnsaid(res, why) {
		s.say("%s", p)
	}
	if e := s.expected(res); e != "" {
		s.say("%s", e)
	}
	if c.Guidance != "" {
		s.say("Good evidence: %s", line(c.Guidance))
	}
	s.say("%s", s.answerLine(s.a.Answer(c.ID)))
	for _, l := range s.awsChain(c.ID) {
		s.say("%s", l)
	}
	choices, _, _ := s.questionChoices()
	s.say("Choices: %s.", numbered(choices))
}

// questionChoices are the choices at a question, what each does, and
// their help: on a read-only assessment, only the moves.
func (s *session) questionChoices() (choices []string, codes []int, help string) {
	if why := s.readOnly(); why != "" {
		return readOnlyChoices, readOnlyCodes, "Read-only. " + why + ". Enter goes on to the next question."
	}
	return questionChoices, allQuestionCodes, "Choices 1 to 5 answer the question and go on to the next; not applicable asks why first. The others stay on this question, but for previous, go to and back."
}

// owner says who owns a control and who supplies its evidence.
func owner(res model.Resolution) string {
	var who string
	switch res.Responsibility {
	case model.Customer:
		who = "Owner: you"
	case model.Inherited:
		who = "Owner: AWS; you inherit it"
	case model.Shared:
		who = "Owner: shared between you and AWS"
	default:
		who = "Owner: " + strings.ToLower(res.Responsibility.Label())
	}
	var from []string
	for _, sup := range res.Suppliers {
		from = append(from, map[model.Supplier]string{model.SupplierAWS: "AWS", model.SupplierCustomer: "you"}[sup])
	}
	if len(from) == 0 {
		return who + "."
	}
	return who + ". Evidence from " + strings.Join(from, " and ") + "."
}

// partsUnsaid reads out each party's part, when the reason (why) does not
// say it already (the engine's reasons do, so this reads nothing twice).
func partsUnsaid(res model.Resolution, why string) []string {
	var out []string
	if res.CustomerPart != "" && !strings.Contains(why, res.CustomerPart) {
		out = append(out, "Your part: "+sentence(line(res.CustomerPart)))
	}
	if res.AWSPart != "" && !strings.Contains(why, res.AWSPart) {
		out = append(out, "AWS's part: AWS "+sentence(line(res.AWSPart)))
	}
	return out
}

// expected names the evidence each party is expected to supply.
func (s *session) expected(res model.Resolution) string {
	names := func(ids []string) string {
		var out []string
		for _, id := range ids {
			if e, ok := s.cat.EvidenceSource(id); ok {
				out = append(out, line(e.Name))
			}
		}
		return strings.Join(out, ", ")
	}
	var parts []string
	if n := names(res.AWSEvidence); n != "" {
		parts = append(parts, "Expected from AWS: "+n+".")
	}
	if n := names(res.CustEvidence); n != "" {
		parts = append(parts, "Expected from you: "+n+".")
	}
	return strings.Join(parts, " ")
}

// answerLine is an answer as it stands: status, justification, the
// evidence it links and notes.
func (s *session) answerLine(ans model.Answer) string {
	out := "Answer: " + statusWord(ans.Status) + "."
	if ans.Justification != "" {
		out += " Justification: " + sentence(line(ans.Justification))
	}
	out += " " + s.linkedLine(ans.Control)
	if ans.Notes != "" {
		out += " Notes: " + sentence(line(ans.Notes))
	}
	return out
}

// statusWord is a status as it is said: "not applicable", not
// "not-applicable".
func statusWord(st model.Status) string { return strings.ReplaceAll(st.Label(), "-", " ") }

// numbered lists choices on one line: "1 implemented, 2 partial".
func numbered(choices []string) string {
	out := make([]string, len(choices))
	for i, c := range choices {
		out[i] = strconv.Itoa(i+1) + " " + c
	}
	return strings.Join(out, ", ")
}

// saveAnswer saves an answer to the open assessment.
func (s *session) saveAnswer(ans model.Answer, what string) bool {
	a, err := s.cfg.Store.Answer(s.a.ID, ans, "")
	return s.saved(a, err, what)
}

// answerStatus gives an answer its status (not applicable with a
// justification); moved reports whether the answer stands, to go on.
func (s *session) answerStatus(ans model.Answer, st model.Status) (moved bool, err error) {
	id := ans.Control
	next := ans
	next.Status, next.Justification = st, ""
	if st == model.StatusNotApplicable {
		cur := ""
		if ans.Status == model.StatusNotApplicable {
			cur = ans.Justification
		}
		next.Justification, err = s.text("Why does "+line(id)+" not apply? Justification", cur, true,
			"Not applicable needs a justification a reviewer can check, for example: no electronic signatures are used.",
			func(v string) error {
				j := next
				j.Justification = v
				return model.ValidateAnswer(j)
			})
		if err != nil {
			return false, err
		}
	}
	if next.Status == ans.Status && next.Justification == ans.Justification {
		s.say("Unchanged: %s is %s.", line(id), statusWord(st))
		return true, nil
	}
	return s.saveAnswer(next, line(id)+" "+statusWord(st)), nil
}

// goTo finds a question by its number, its control id, or words in its
// id, title or question.
func (s *session) goTo(order []string) (int, bool, error) {
	in, err := s.ask(fmt.Sprintf("Question number 1 to %d, a control id, or words to search for; enter for none:", len(order)), func() {
		s.say("12 goes to question 12; AT-01 to that control; audit trail lists the questions with both words.")
	})
	if err != nil || in == "" {
		return 0, false, err
	}
	if n, err := strconv.Atoi(in); err == nil {
		if n < 1 || n > len(order) {
			s.say("There is no question %d; there are %d.", n, len(order))
			return 0, false, nil
		}
		return n - 1, true, nil
	}
	if i := slices.IndexFunc(order, func(id string) bool { return strings.EqualFold(id, in) }); i >= 0 {
		return i, true, nil
	}
	if c, ok := s.cat.Control(strings.ToUpper(in)); ok {
		s.say("%s does not apply with this scope and these services.", line(c.ID))
		return 0, false, nil
	}
	words := strings.Fields(strings.ToLower(in))
	var found []int
	for i, id := range order {
		c, _ := s.cat.Control(id)
		text := strings.ToLower(c.ID + " " + c.Title + " " + c.Question)
		if !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(text, w) }) {
			found = append(found, i)
		}
	}
	if len(found) == 0 {
		s.say("No question matches %q.", line(in))
		return 0, false, nil
	}
	s.say("%s", matches(len(found), "question", "questions", in))
	list := func() {
		for k, i := range found {
			c, _ := s.cat.Control(order[i])
			s.say("  %d. Question %d, %s, %s: %s", k+1, i+1, line(c.ID), line(c.Title), statusWord(s.a.Answer(c.ID).Status))
		}
	}
	list()
	k, err := s.pick(len(found), 0, "Choose the question to go to.", list, "for none")
	if err != nil || k == 0 {
		return 0, false, err
	}
	return found[k-1], true, nil
}
