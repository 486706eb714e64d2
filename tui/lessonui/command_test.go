package lessonui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsanatomy/wsanatomy/lessons"
)

// runCmd runs the command as the program would with o, without a
// terminal, an environment or the learner's progress file.
func runCmd(t *testing.T, o Options) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), options{n: o.N, list: o.List, plain: o.Plain, reset: o.Reset, ascii: o.ASCII, lang: o.Lang,
		getenv: func(string) string { return "" }, path: filepath.Join(t.TempDir(), "progress.json")}, nil, &out, &errb)
	return code, out.String(), errb.String()
}

func TestListBothLanguages(t *testing.T) {
	for _, lang := range lessons.Languages {
		code, out, _ := runCmd(t, Options{List: true, Lang: lang})
		cat, _ := lessons.Catalog(lang)
		if code != 0 || len(cat) != 13 {
			t.Fatalf("%s: exit %d, %d lessons", lang, code, len(cat))
		}
		for _, l := range cat {
			if !strings.Contains(out, l.Title) || !strings.Contains(out, l.Summary) {
				t.Errorf("%s: list lacks lesson %d %q", lang, l.Number, l.Title)
			}
		}
	}
}

// TestPlainLessonShowsRealBytes: the plain lesson runs its demos and
// prints the frames they produced, dissected.
func TestPlainLessonShowsRealBytes(t *testing.T) {
	code, out, errs := runCmd(t, Options{N: 1, Plain: true, Lang: "en"})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"Lesson 1: Why WebSocket exists",
		"POST / HTTP/1.1\\r\\n",     // the real HTTP request
		"HTTP/1.1 200 OK\\r\\n",     // and response
		"→ text FIN M 5B \"Hello\"", // the client's frame in the timeline
		"frame · client → server · text · 11 bytes on the wire",
		"0000  81 85 ",               // its hex dump: FIN+text, MASK+5
		"← text FIN 5B \"Hello\"",    // the server's frame
		"0000  81 05 48 65 6c 6c 6f", // unmasked, as §5.7 shows it
		"Answer: 11",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plain lesson lacks %q", want)
		}
	}
	for i, l := range strings.Split(out, "\n") {
		if lessons.Width(l) > 80 {
			t.Errorf("line %d is %d columns: %q", i+1, lessons.Width(l), l)
		}
	}
	code, out, _ = runCmd(t, Options{N: 12, Plain: true, Lang: "zh"})
	if code != 0 || !strings.Contains(out, "403 Forbidden") || !strings.Contains(out, "✗ §10.4 → 1009") || !strings.Contains(out, "✗ §5.5 → 1002") {
		t.Errorf("zh lesson 12 plain: exit %d, missing the refusals:\n%s", code, out)
	}
}

func TestNotATerminalPrintsText(t *testing.T) {
	code, out, _ := runCmd(t, Options{})
	if code != 0 || !strings.Contains(out, "Why WebSocket exists") {
		t.Fatalf("no TTY, no N: exit %d, want the list: %q", code, out)
	}
}

func TestReset(t *testing.T) {
	o := options{reset: true, getenv: func(string) string { return "" }, path: filepath.Join(t.TempDir(), "progress.json")}
	p, _ := lessons.LoadProgress(o.path)
	p.MarkDone(2)
	if err := p.Save(); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), o, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	q, _ := lessons.LoadProgress(o.path)
	if q.Done(2) || !strings.Contains(out.String(), "Progress reset.") {
		t.Fatalf("not reset: %q", out.String())
	}
}

// TestCorruptProgressFile: an unreadable progress file brings a warning,
// not a locked-out learner; the file is left for the learner to inspect.
func TestCorruptProgressFile(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	path := filepath.Join(dir, "wsanatomy", "progress.json")
	os.MkdirAll(filepath.Dir(path), 0o755)
	os.WriteFile(path, []byte("garbage{"), 0o644)
	var out, errb strings.Builder
	code := Run(context.Background(), Options{List: true, Lang: "en"}, strings.NewReader(""), &out, &errb)
	if code != 0 || !strings.Contains(out.String(), "Frame anatomy") || !strings.Contains(errb.String(), "warning") {
		t.Errorf("exit %d, out %q, err %q", code, out.String(), errb.String())
	}
	if b, _ := os.ReadFile(path); string(b) != "garbage{" {
		t.Errorf("the corrupt file was overwritten: %q", b)
	}
}
