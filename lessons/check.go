package lessons

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Check is a question at the end of a step: multiple choice (Choices set)
// or a typed answer (Answers set).
type Check struct {
	Question string
	// Choices are the options of a multiple-choice check, in order, and
	// Correct is the index of the right one.
	Choices []string
	Correct int
	// Answers are the accepted typed answers. Any one of them is right;
	// case, spaces and a trailing unit ("bytes", "字节") do not matter.
	Answers []string
	// Computed is true when every typed answer came from a template
	// expression, so the codec, not the author, decided it.
	Computed bool
	Right    string // feedback for a right answer
	Wrong    string // feedback for a wrong answer
	Line     int    // line of the ```check fence in the lesson file
}

// IsChoice reports whether the check is multiple choice.
func (c *Check) IsChoice() bool { return len(c.Choices) > 0 }

// Grade judges an answer. For multiple choice the answer may be the option's
// number (1, 2, ...), its letter (a, b, ...) or its text. Feedback is the
// check's right or wrong text; a wrong answer also says what was expected,
// so the learner is never left guessing.
func (c *Check) Grade(answer string) (correct bool, feedback string) {
	a := normalize(answer)
	if c.IsChoice() {
		correct = a == normalize(c.Choices[c.Correct]) ||
			a == strconv.Itoa(c.Correct+1) || a == string(rune('a'+c.Correct))
	} else {
		for _, want := range c.Answers {
			if a == normalize(want) {
				correct = true
			}
		}
	}
	if correct {
		return true, c.Right
	}
	return false, c.Wrong
}

// Expected returns the right answer as it should be shown: "b) 0x1" for a
// choice, the first accepted answer otherwise.
func (c *Check) Expected() string {
	if c.IsChoice() {
		return fmt.Sprintf("%c) %s", 'a'+c.Correct, c.Choices[c.Correct])
	}
	return c.Answers[0]
}

// normalize folds what should not decide right or wrong: case, spaces, a
// final full stop and a unit after a number ("14 bytes", "14 字节").
func normalize(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, unit := range []string{"bytes", "byte", "个字节", "字节"} {
		if t, ok := strings.CutSuffix(s, unit); ok && t != "" {
			s = t
			break
		}
	}
	s = strings.TrimRight(s, ".。")
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// checkParser accumulates the lines of one ```check block.
type checkParser struct {
	c        Check
	answers  int
	computed int
	hasCorr  bool
}

// line parses one line of the block. raw is the line before template
// expansion, so the parser can tell a computed answer from a typed one.
func (p *checkParser) line(raw, line string) error {
	line = strings.TrimSpace(line)
	if line == "" {
		return nil
	}
	if key, val, ok := strings.Cut(line, ":"); ok {
		val = strings.TrimSpace(val)
		switch strings.TrimSpace(key) {
		case "question":
			p.c.Question = val
			return nil
		case "answer":
			p.c.Answers = append(p.c.Answers, val)
			p.answers++
			if strings.Contains(raw, "{{") {
				p.computed++
			}
			return nil
		case "right":
			p.c.Right = val
			return nil
		case "wrong":
			p.c.Wrong = val
			return nil
		}
	}
	switch {
	case strings.HasPrefix(line, "+ "):
		if p.hasCorr {
			return fmt.Errorf("two options marked + (correct); mark exactly one")
		}
		p.hasCorr = true
		p.c.Correct = len(p.c.Choices)
		p.c.Choices = append(p.c.Choices, strings.TrimSpace(line[2:]))
		return nil
	case strings.HasPrefix(line, "- "):
		p.c.Choices = append(p.c.Choices, strings.TrimSpace(line[2:]))
		return nil
	}
	return fmt.Errorf("check line %q: want question:, answer:, right:, wrong:, or an option starting with + or -", line)
}

// done validates the finished check.
func (p *checkParser) done() (*Check, error) {
	c := p.c
	switch {
	case c.Question == "":
		return nil, fmt.Errorf("check has no question: line")
	case c.Right == "" || c.Wrong == "":
		return nil, fmt.Errorf("check needs both right: and wrong: feedback")
	case len(c.Choices) > 0 && len(c.Answers) > 0:
		return nil, fmt.Errorf("check has both options and answer: lines; use one kind")
	case len(c.Choices) == 0 && len(c.Answers) == 0:
		return nil, fmt.Errorf("check has neither options nor answer: lines")
	case len(c.Choices) > 0 && !p.hasCorr:
		return nil, fmt.Errorf("no option is marked + (correct)")
	case len(c.Choices) == 1:
		return nil, fmt.Errorf("a multiple-choice check needs at least two options")
	case len(c.Choices) > 26:
		return nil, fmt.Errorf("too many options")
	}
	// A learner answers by number or letter, so an option that reads as
	// one would be ambiguous: is "2" the second option or the option "2"?
	for _, ch := range c.Choices {
		if _, err := strconv.Atoi(ch); err == nil || len(ch) == 1 {
			return nil, fmt.Errorf("option %q reads as an option number or letter; add a word", ch)
		}
	}
	c.Computed = p.answers > 0 && p.computed == p.answers
	return &c, nil
}
