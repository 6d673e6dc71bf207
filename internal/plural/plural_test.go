package plural

import "testing"

func TestCount(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0 pieces"}, {1, "1 piece"}, {2, "2 pieces"}, {-1, "-1 pieces"}, {1000, "1000 pieces"}} {
		if got := Count(c.n, "piece", "pieces"); got != c.want {
			t.Errorf("Count(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}
