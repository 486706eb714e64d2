package lessons

import "strings"

// Language picks the lesson language: the --lang flag if set, else the
// locale. POSIX gives LC_ALL precedence over LC_MESSAGES over LANG, and the
// first of them that is set and non-empty decides. A locale starting with
// "zh" (zh_CN.UTF-8, zh_TW, zh) selects Chinese; anything else, including
// "C" and "POSIX", selects English. env is os.Getenv, injectable for tests.
func Language(flag string, env func(string) string) string {
	if flag != "" {
		return pick(flag)
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := env(name); v != "" {
			return pick(v)
		}
	}
	return "en"
}

func pick(v string) string {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(v)), "zh") {
		return "zh"
	}
	return "en"
}
