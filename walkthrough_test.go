package main

import (
	"strings"
	"testing"
)

// TestWalkthroughLang: --lang picks the walkthrough's language, and
// without it the locale does, by the lessons' rule (LC_ALL, then
// LC_MESSAGES, then LANG).
func TestWalkthroughLang(t *testing.T) {
	const zh, en = "=== 第 1/30 步：建立连接的握手", "=== step 1/30: the opening handshake"
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "en_US.UTF-8")
	for _, c := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{nil, []string{"--plain", "--lang", "zh"}, zh},
		{nil, []string{"--lang=en", "--plain"}, en},
		{map[string]string{"LANG": "zh_CN.UTF-8"}, []string{"--plain"}, zh},
		{map[string]string{"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, []string{"--plain"}, en},
		{map[string]string{"LC_MESSAGES": "zh_TW"}, []string{"--plain"}, zh},
		{map[string]string{"LANG": "zh_CN.UTF-8"}, []string{"--plain", "--lang", "en"}, en},
	} {
		for k, v := range c.env {
			t.Setenv(k, v)
		}
		code, out, stderr := runCLI(c.args...)
		if code != 0 || !strings.Contains(out, c.want) {
			t.Errorf("%v %q: exit %d, output lacks %q (stderr %q):\n%.300s", c.env, c.args, code, c.want, stderr, out)
		}
		for k := range c.env {
			t.Setenv(k, map[string]string{"LANG": "en_US.UTF-8"}[k])
		}
	}
	if code, _, stderr := runCLI("--plain", "--lang", "fr"); code != 2 || !strings.Contains(stderr, "en or zh") {
		t.Errorf("--lang fr: exit %d, stderr %q; want 2 naming en or zh", code, stderr)
	}
}
