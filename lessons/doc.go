// Package lessons holds wsanatomy's lessons and the engine that loads them.
//
// A lesson is a Markdown file under en/ or zh/, embedded in the binary, so a
// teacher can edit or add one without touching Go (the format is described
// in README.md). The engine parses the files into [Lesson] values: steps of
// text, typed [Action] values that the TUI runs through the real codec, and
// [Check] questions that grade an answer.
//
// Facts the codec can compute (an accept value, a header size, a masked
// byte) are never typed into a lesson: the text writes a template
// expression such as {{headersize 300 masked}}, evaluated through package
// protocol when the lesson loads (expr.go). The lesson can therefore never
// drift from the code that puts the bytes on the wire.
//
// Layering: lessons imports only the standard library and package protocol;
// the TUI imports lessons, and main imports both.
package lessons
