package lessons

// Lesson is one parsed lesson file in one language.
type Lesson struct {
	// Number orders the lessons; it comes from the file name (03-frames.md).
	Number int
	// Slug is the rest of the file name (frames). The English and Chinese
	// files of one lesson share number and slug.
	Slug    string
	Title   string
	Summary string // one line, for the lesson list
	Steps   []Step
	// File is the embedded path, e.g. "en/03-frames.md", for error messages.
	File string
}

// Step is one idea of a lesson: a screenful of text, what to run, and what
// to ask.
type Step struct {
	Title string
	// Text is the step's Markdown with every template expression evaluated
	// and the action and check blocks removed. Other fenced blocks stay.
	Text    string
	Actions []Action
	Check   *Check // nil when the step asks nothing
	// Line is the line of the step's "## " heading in File.
	Line int
}
