package lessons

import "testing"

func TestLanguage(t *testing.T) {
	tests := []struct {
		flag string
		env  map[string]string
		want string
	}{
		{"", nil, "en"},
		{"zh", map[string]string{"LANG": "en_US.UTF-8"}, "zh"},
		{"en", map[string]string{"LANG": "zh_CN.UTF-8"}, "en"},
		{"", map[string]string{"LANG": "zh_CN.UTF-8"}, "zh"},
		{"", map[string]string{"LANG": "zh_TW.UTF-8"}, "zh"},
		{"", map[string]string{"LANG": "de_DE.UTF-8"}, "en"},
		{"", map[string]string{"LANG": "C"}, "en"},
		{"", map[string]string{"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"},
		{"", map[string]string{"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"},
		{"", map[string]string{"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US"}, "zh"},
		{"", map[string]string{"LC_ALL": "", "LC_MESSAGES": "en_GB", "LANG": "zh_CN"}, "en"},
	}
	for _, tt := range tests {
		got := Language(tt.flag, func(k string) string { return tt.env[k] })
		if got != tt.want {
			t.Errorf("Language(%q, %v) = %q, want %q", tt.flag, tt.env, got, tt.want)
		}
	}
	if !Supported("zh") || Supported("fr") {
		t.Error("Supported is wrong")
	}
}
