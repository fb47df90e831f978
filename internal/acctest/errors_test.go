package acctest

import "testing"

func TestOnlyError(t *testing.T) {
	re := OnlyError("Attribute task_id string length must be between 1 and 36, got: 0")
	one := "Error running pre-apply plan: exit status 1\n\nError: Invalid Attribute Value Length\n\n  with cloudlock_sms_task_unlock.b,\n\nAttribute task_id string length\nmust be between 1 and 36, got: 0\n"
	for _, tc := range []struct {
		out  string
		want bool
	}{
		{one, true},
		{one + "\n│ Error: Invalid Attribute Value Match\n│ Attribute task_id must contain only letters\n", false},
		{"│ Error: Invalid Attribute Value Match\n" + one, false},
		{"EError: x\n" + one, false},
		{"ErrorError:x Err Erro Error Error:x " + one + " E Er Err Erro Error Error:", true},
		{"│ Error: something else\n", false},
	} {
		if got := re.MatchString(tc.out); got != tc.want {
			t.Errorf("OnlyError matched %v, want %v:\n%s", got, tc.want, tc.out)
		}
	}
}
