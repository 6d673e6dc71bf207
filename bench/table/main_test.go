package main

import (
	"bytes"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const sample = `goos: linux
BenchmarkStartup-2   	      15	  59112058 ns/op	        20.00 floor-ms	        30.00 onus-ms	         1.400 onus/floor
BenchmarkStartup-2   	      15	  59112058 ns/op	        22.00 floor-ms	        34.00 onus-ms	         1.600 onus/floor
BenchmarkStartup-2   	      15	  59112058 ns/op	        21.00 floor-ms	        31.00 onus-ms	         1.450 onus/floor
BenchmarkKeystroke/home-2 	 1495	    768006 ns/op	       388.6 10x-µs/key	         1.024 10x/1x	       379.3 1x-µs/key
BenchmarkExport/format=md/controls=100-2 	 442	   2648220 ns/op	     31107 bytes	     20000 ns/control
BenchmarkExport/format=md/controls=1000-2 	 58	  20534308 ns/op	    223305 bytes	     20534 ns/control
BenchmarkExport/format=md/controls=10000-2 	 5	 210810494 ns/op	   2158353 bytes	     40000 ns/control
BenchmarkDiff-2 	 8	 150000000 ns/op	       150.0 ms/diff
PASS
`

// The table takes medians per benchmark and unit, uses a reported ratio
// where there is one and divides otherwise, and counts missed goals.
func TestTableFromBenchmarkOutput(t *testing.T) {
	res := results{}
	parse([]byte(sample), res)
	if got := res.median("Startup", "onus/floor"); got != 1.45 {
		t.Errorf("median of reported ratios: %v, want 1.45", got)
	}
	if got := res.median("Keystroke/*", "10x-µs/key"); got != 388.6 {
		t.Errorf("largest of the sub-benchmarks: %v, want 388.6", got)
	}
	var out bytes.Buffer
	missed := print(&out, res)
	table := out.String()
	for _, want := range []string{
		"| 31.0 | 21.0 | 1.45x | ≤ 1.50x met |",        // start-up: medians and the reported ratio
		"| 40.0 | 20.0 | 2.00x | ≤ 1.50x **missed** |", // md export grew twofold per control
		"1,000 take 20.5 ms",
		"| 150 | 200 | 0.75x | ≤ 1.00x met |", // the diff against its 200 ms goal
	} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	// The md growth row, and every row whose benchmarks did not run.
	if missed < 2 || !strings.Contains(table, "| n/a |") {
		t.Errorf("%d goals missed; rows without results must count as missed:\n%s", missed, table)
	}
}

// Every scenario of tui's keystroke benchmark has its row, and every row
// a scenario.
func TestEveryKeyScenarioHasARow(t *testing.T) {
	src, err := os.ReadFile("../../tui/bench_test.go")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range regexp.MustCompile(`\{name: "([a-z0-9-]+)"`).FindAllStringSubmatch(string(src), -1) {
		if m[1] != "home-list-10x" {
			names = append(names, m[1])
		}
	}
	if !slices.Equal(names, keyScenarios) {
		t.Errorf("tui's scenarios %v, the table's %v", names, keyScenarios)
	}
}
