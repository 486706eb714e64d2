package lessons

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
)

// files holds the lesson sources, one directory per language.
//
//go:embed en/*.md zh/*.md
var files embed.FS

// Languages are the supported lesson languages, English first: English is
// the fallback when the locale names neither.
var Languages = []string{"en", "zh"}

// Catalog returns every lesson of a language, ordered by number, with
// template expressions evaluated. An error names the file and line at
// fault; the embedded lessons are tested, so it means a broken build.
func Catalog(lang string) ([]Lesson, error) {
	return catalogFS(files, lang)
}

// catalogFS is Catalog over any file system, so tests can feed it broken
// lessons.
func catalogFS(fsys fs.FS, lang string) ([]Lesson, error) {
	if !Supported(lang) {
		return nil, fmt.Errorf("lessons: unknown language %q (want en or zh)", lang)
	}
	names, err := fs.Glob(fsys, lang+"/*.md")
	if err != nil {
		return nil, err
	}
	var out []Lesson
	seen := map[int]string{}
	for _, name := range names {
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		l, err := parseLesson(name, string(src))
		if err != nil {
			return nil, fmt.Errorf("lessons: %w", err)
		}
		if prev, dup := seen[l.Number]; dup {
			return nil, fmt.Errorf("lessons: %s and %s have the same number", prev, name)
		}
		seen[l.Number] = name
		out = append(out, *l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out, nil
}

// Find returns lesson number n of a catalog.
func Find(catalog []Lesson, n int) (Lesson, bool) {
	for _, l := range catalog {
		if l.Number == n {
			return l, true
		}
	}
	return Lesson{}, false
}

// Source returns the raw Markdown of a lesson file, for tests and for a
// teacher's "show source" view.
func Source(l Lesson) (string, error) {
	b, err := fs.ReadFile(files, path.Clean(l.File))
	return string(b), err
}

// Supported reports whether lang is one of [Languages], for validating --lang.
func Supported(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}
