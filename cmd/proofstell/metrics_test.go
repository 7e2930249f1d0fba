package main

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"

	analyticsworker "github.com/proofstell/proofstell/actors/analytics"
	"github.com/proofstell/proofstell/actors/leaderboard"
	"github.com/proofstell/proofstell/actors/runtime/singleton"
	"github.com/proofstell/proofstell/actors/scheduler"
	"github.com/proofstell/proofstell/gateway/rest"
	"github.com/proofstell/proofstell/gateway/ws"
	"github.com/proofstell/proofstell/internal/admission"
)

// servedSets are the collectors serve registers on the default registry
// while it wires the node (the packages' promauto metrics register when
// this binary is linked), keyed by the call that registers them.
// TestMetrics_ServeRegistersKnownSets keeps this list complete.
var servedSets = map[string]func(prometheus.Registerer) error{
	"leaderboard.NewMetrics":     func(r prometheus.Registerer) error { _, err := leaderboard.NewMetrics(r); return err },
	"singleton.NewMetrics":       func(r prometheus.Registerer) error { _, err := singleton.NewMetrics(r); return err },
	"scheduler.NewMetrics":       func(r prometheus.Registerer) error { _, err := scheduler.NewMetrics(r); return err },
	"ws.NewMetrics":              func(r prometheus.Registerer) error { _, err := ws.NewMetrics(r); return err },
	"analyticsworker.NewMetrics": func(r prometheus.Registerer) error { _, err := analyticsworker.NewMetrics(r); return err },
	"admission.NewMetrics":       func(r prometheus.Registerer) error { _, err := admission.NewMetrics(r); return err },
	"Registerer": func(r prometheus.Registerer) error { // rest.Deps.Registerer: the HTTP metrics
		rest.NewRouter(rest.Deps{Registerer: r})
		return nil
	},
}

var (
	servedOnce     sync.Once
	servedFamilies []*dto.MetricFamily
	servedErr      error
)

// served returns every metric family the node's /metrics serves (the
// default gatherer, what promhttp.Handler reads), each with at least one
// series: a labelled family nobody has used yet gets one placeholder child,
// so families that are empty at start are linted and listed too.
func served(t testing.TB) []*dto.MetricFamily {
	t.Helper()
	servedOnce.Do(func() {
		for _, register := range servedSets {
			if err := register(prometheus.DefaultRegisterer); err != nil && !alreadyRegistered(err) {
				servedErr = errors.Join(servedErr, err)
			}
		}
		if servedErr == nil {
			servedErr = touchEmptyFamilies()
		}
		if servedErr == nil {
			servedFamilies, servedErr = prometheus.DefaultGatherer.Gather()
		}
	})
	require.NoError(t, servedErr)
	return servedFamilies
}

func alreadyRegistered(err error) bool {
	var already prometheus.AlreadyRegisteredError
	return errors.As(err, &already)
}

// touchEmptyFamilies gives every registered labelled family without series
// one child. A Desc names the family but not its type: registering a twin
// with the same name, help and labels hands back the registered collector.
func touchEmptyFamilies() error {
	reg, ok := prometheus.DefaultRegisterer.(*prometheus.Registry)
	if !ok {
		return errors.New("the default registerer is not a *prometheus.Registry")
	}
	got, err := reg.Gather()
	if err != nil {
		return err
	}
	present := map[string]bool{}
	for _, f := range got {
		present[f.GetName()] = true
	}
	// Describe holds the registry's lock until it returns: read every Desc
	// before registering anything.
	ch := make(chan *prometheus.Desc, 64)
	go func() { reg.Describe(ch); close(ch) }()
	var descs []*prometheus.Desc
	for d := range ch {
		descs = append(descs, d)
	}
	var errs []error
	for _, d := range descs {
		name, help, labels, err := parseDesc(d.String())
		if err != nil || present[name] {
			errs = append(errs, err)
			continue
		}
		twin := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, labels)
		var already prometheus.AlreadyRegisteredError
		if err := reg.Register(twin); !errors.As(err, &already) {
			errs = append(errs, errors.Join(errors.New("cannot reach the collector of "+name), err))
			continue
		}
		errs = append(errs, touch(already.ExistingCollector, name, len(labels)))
	}
	return errors.Join(errs...)
}

// touch creates one child of a labelled collector.
func touch(c prometheus.Collector, name string, labels int) error {
	values := make([]string, labels)
	for i := range values {
		values[i] = "placeholder"
	}
	var err error
	switch v := c.(type) {
	case *prometheus.CounterVec:
		_, err = v.GetMetricWithLabelValues(values...)
	case *prometheus.GaugeVec:
		_, err = v.GetMetricWithLabelValues(values...)
	case *prometheus.HistogramVec:
		_, err = v.GetMetricWithLabelValues(values...)
	case *prometheus.SummaryVec:
		_, err = v.GetMetricWithLabelValues(values...)
	default:
		err = errors.New("no series and not a metric vector: " + name)
	}
	return err
}

// parseDesc reads the name, help and variable labels out of Desc.String
// (client_golang keeps them unexported; const labels are not read, so a
// family with them and no series fails to be touched):
// Desc{fqName: "n", help: "h", unit: "", constLabels: {}, variableLabels: {a,b}}.
func parseDesc(s string) (name, help string, labels []string, err error) {
	quoted := func(after string) (string, error) {
		_, rest, ok := strings.Cut(s, after)
		if !ok {
			return "", errors.New("no " + after + " in " + s)
		}
		q, err := strconv.QuotedPrefix(rest)
		if err != nil {
			return "", err
		}
		return strconv.Unquote(q)
	}
	if name, err = quoted("Desc{fqName: "); err != nil {
		return "", "", nil, err
	}
	if help, err = quoted(", help: "); err != nil {
		return "", "", nil, err
	}
	i := strings.LastIndex(s, "variableLabels: {")
	if i < 0 || !strings.HasSuffix(s, "}}") {
		return "", "", nil, errors.New("no variable labels in " + s)
	}
	list := s[i+len("variableLabels: {") : len(s)-2]
	for _, l := range strings.Split(list, ",") {
		if l = strings.TrimSuffix(strings.TrimPrefix(l, "c("), ")"); l != "" {
			labels = append(labels, l)
		}
	}
	return name, help, labels, nil
}

// runtimeFamily reports the families client_golang's default collectors
// export under their own conventional names (go_*, process_*).
func runtimeFamily(name string) bool {
	return strings.HasPrefix(name, "go_") || strings.HasPrefix(name, "process_")
}

// exportedSeries is every series name a query can select from the node:
// a family's name, and for histograms and summaries their _bucket, _sum
// and _count series.
func exportedSeries(t testing.TB) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, f := range served(t) {
		name := f.GetName()
		switch f.GetType() {
		case dto.MetricType_HISTOGRAM:
			out[name+"_bucket"], out[name+"_sum"], out[name+"_count"] = true, true, true
		case dto.MetricType_SUMMARY:
			out[name], out[name+"_sum"], out[name+"_count"] = true, true, true
		default:
			out[name] = true
		}
	}
	return out
}

// TestMetrics_Lint lints every family /metrics serves with promlint
// (names, base units, _total on counters only, help) and checks that each
// of the node's own carries the proofstell_ prefix.
func TestMetrics_Lint(t *testing.T) {
	families := served(t)
	problems, err := promlint.NewWithMetricFamilies(families).Lint()
	require.NoError(t, err)
	for _, p := range problems {
		t.Errorf("%s: %s", p.Metric, p.Text)
	}
	var unprefixed []string
	for _, f := range families {
		if name := f.GetName(); !runtimeFamily(name) && !strings.HasPrefix(name, "proofstell_") {
			unprefixed = append(unprefixed, name)
		}
	}
	require.Empty(t, unprefixed, "every metric of the node is named proofstell_*")
	require.Contains(t, exportedSeries(t), "proofstell_build_info")
	require.Contains(t, exportedSeries(t), "proofstell_http_requests_total", "serve-time sets are registered")
}

// TestMetrics_ServeRegistersKnownSets: every call in this package that
// registers on the default registry is one servedSets replays, so the lint
// and the dashboard checks see what serve registers.
func TestMetrics_ServeRegistersKnownSets(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	found := map[string]bool{}
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				for _, arg := range n.Args {
					if isDefaultRegisterer(arg) {
						found[exprName(n.Fun)] = true
					}
				}
			case *ast.KeyValueExpr:
				if isDefaultRegisterer(n.Value) {
					found[exprName(n.Key)] = true
				}
			}
			return true
		})
	}
	var unknown []string
	for name := range found {
		if servedSets[name] == nil {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	require.Empty(t, unknown, "serve registers these on the default registry: add them to servedSets")
	require.Len(t, found, len(servedSets), "servedSets names a registration serve no longer makes")
}

func isDefaultRegisterer(e ast.Expr) bool {
	return exprName(e) == "prometheus.DefaultRegisterer"
}

func exprName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return exprName(e.X) + "." + e.Sel.Name
	}
	return ""
}

func TestBuildVersion(t *testing.T) {
	stamped := func(settings ...debug.BuildSetting) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) {
			bi := &debug.BuildInfo{}
			bi.Main.Version = "(devel)"
			bi.Settings = append(bi.Settings, settings...)
			return bi, true
		}
	}
	tests := []struct {
		name                 string
		version, commit      string
		read                 func() (*debug.BuildInfo, bool)
		wantVersion, wantRev string
	}{
		{"linker values win", "v1.2.0", "abc", stamped(debug.BuildSetting{Key: "vcs.revision", Value: "def"}), "v1.2.0", "abc"},
		{"vcs stamp", "dev", "", stamped(debug.BuildSetting{Key: "vcs.revision", Value: "def"}), "dev", "def"},
		{"dirty tree", "dev", "", stamped(debug.BuildSetting{Key: "vcs.revision", Value: "def"}, debug.BuildSetting{Key: "vcs.modified", Value: "true"}), "dev", "def-dirty"},
		{"nothing recorded", "dev", "", func() (*debug.BuildInfo, bool) { return nil, false }, "dev", "unknown"},
		{"go install @version", "dev", "", func() (*debug.BuildInfo, bool) {
			bi := &debug.BuildInfo{}
			bi.Main.Version = "v0.3.0"
			return bi, true
		}, "v0.3.0", "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, c := buildVersion(tt.version, tt.commit, tt.read)
			require.Equal(t, tt.wantVersion, v)
			require.Equal(t, tt.wantRev, c)
		})
	}
}
