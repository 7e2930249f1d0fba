package main

import (
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/VictoriaMetrics/metricsql"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// The alerting rules and the dashboard shipped in deploy/ may only query
// series the node exports. Expressions are read with VictoriaMetrics'
// metricsql parser (a PromQL superset): Prometheus' own promql/parser lives
// in github.com/prometheus/prometheus, whose requirements would raise
// gorilla/websocket, grpc and otel for the whole module; metricsql adds
// four small modules and nothing else. promtool (make monitoring-check)
// checks the rules' PromQL proper.

const (
	alertsFile    = "../../deploy/prometheus/alerts.yml"
	dashboardFile = "../../deploy/grafana/proofstell.json"
	runbookFile   = "../../docs/RUNBOOK.md"
)

// scrapeSeries are series Prometheus adds to every target itself.
var scrapeSeries = map[string]bool{"up": true}

// targetLabels are labels Prometheus attaches to every scraped series.
var targetLabels = map[string]bool{"job": true, "instance": true, "__name__": true}

// grafanaVariables stand in for the dashboard's variables so expressions parse.
var grafanaVariables = strings.NewReplacer(
	"$__rate_interval", "5m", "$__interval", "1m", "$__range", "1h",
	"${instance}", ".+", "$instance", ".+",
)

func TestAlerts_MetricsExist(t *testing.T) {
	raw, err := os.ReadFile(alertsFile)
	require.NoError(t, err)
	var file struct {
		Groups []struct {
			Rules []struct {
				Alert       string            `yaml:"alert"`
				Expr        string            `yaml:"expr"`
				Annotations map[string]string `yaml:"annotations"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	require.NoError(t, yaml.Unmarshal(raw, &file))
	runbook, err := os.ReadFile(runbookFile)
	require.NoError(t, err)
	anchors := headingAnchors(string(runbook))
	exprs := map[string]string{}
	for _, g := range file.Groups {
		for _, r := range g.Rules {
			exprs[r.Alert] = r.Expr
			link, ok := strings.CutPrefix(r.Annotations["runbook"], "docs/RUNBOOK.md#")
			require.True(t, ok, "%s links its docs/RUNBOOK.md section", r.Alert)
			require.True(t, anchors[link], "%s: docs/RUNBOOK.md has no heading #%s", r.Alert, link)
		}
	}
	require.NotEmpty(t, exprs)
	requireExported(t, exprs)
}

// headingAnchors are the anchors GitHub gives a Markdown file's headings:
// lower case, punctuation dropped, spaces as hyphens.
func headingAnchors(md string) map[string]bool {
	out := map[string]bool{}
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "#") {
			continue
		}
		var b strings.Builder
		for _, r := range strings.ToLower(strings.TrimSpace(strings.TrimLeft(line, "#"))) {
			switch {
			case r == ' ':
				b.WriteRune('-')
			case r == '-' || r == '_' || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9'):
				b.WriteRune(r)
			}
		}
		out[b.String()] = true
	}
	return out
}

func TestDashboard_MetricsExist(t *testing.T) {
	raw, err := os.ReadFile(dashboardFile)
	require.NoError(t, err)
	var dash map[string]any
	require.NoError(t, json.Unmarshal(raw, &dash))
	exprs := map[string]string{}
	collectQueries(dash, "", exprs)
	require.NotEmpty(t, exprs)
	for where, e := range exprs {
		exprs[where] = grafanaVariables.Replace(e)
	}
	requireExported(t, exprs)

	var vars []string
	for _, v := range dash["templating"].(map[string]any)["list"].([]any) {
		vars = append(vars, v.(map[string]any)["type"].(string))
	}
	require.Contains(t, vars, "datasource", "the Prometheus data source is a variable")
}

// collectQueries finds every PromQL expression in a Grafana dashboard: the
// panels' targets ("expr") and query variables ("definition"), keyed by
// where they are.
func collectQueries(v any, path string, out map[string]string) {
	switch v := v.(type) {
	case map[string]any:
		if title, ok := v["title"].(string); ok {
			path += "/" + title
		}
		for k, child := range v {
			if s, ok := child.(string); ok && (k == "expr" || (k == "definition" && v["type"] == "query")) {
				out[path+"/"+k+"#"+s] = s
				continue
			}
			collectQueries(child, path, out)
		}
	case []any:
		for _, child := range v {
			collectQueries(child, path, out)
		}
	}
}

// requireExported parses each expression and fails on a series the node
// does not export, or a label matcher naming a label its series lack.
func requireExported(t *testing.T, exprs map[string]string) {
	t.Helper()
	series := exportedSeries(t)
	labels := exportedLabels(t)
	var problems []string
	for where, src := range exprs {
		if strings.HasPrefix(src, "label_values(") { // Grafana's, not PromQL
			src = strings.TrimSuffix(strings.TrimPrefix(src, "label_values("), ")")
			src = src[:strings.LastIndex(src, ",")]
		}
		e, err := metricsql.Parse(src)
		if err != nil {
			problems = append(problems, where+": "+err.Error())
			continue
		}
		metricsql.VisitAll(e, func(n metricsql.Expr) {
			me, ok := n.(*metricsql.MetricExpr)
			if !ok {
				return
			}
			for _, group := range me.LabelFilterss {
				name := ""
				for _, f := range group {
					if f.Label == "__name__" {
						name = f.Value
					}
				}
				switch {
				case name == "":
					problems = append(problems, where+": a selector without a metric name")
					continue
				case scrapeSeries[name]:
					continue
				case !series[name]:
					problems = append(problems, where+": "+name+" is not exported")
					continue
				}
				for _, f := range group {
					if !targetLabels[f.Label] && !labels[familyOf(name, series)][f.Label] {
						problems = append(problems, where+": "+name+" has no label "+f.Label)
					}
				}
			}
		})
	}
	sort.Strings(problems)
	require.Empty(t, problems)
}

// familyOf maps a histogram or summary series to its family name.
func familyOf(name string, series map[string]bool) string {
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		if base, ok := strings.CutSuffix(name, suffix); ok && series[base+"_bucket"] {
			return base
		}
	}
	return name
}

// exportedLabels maps each family to the label names its series carry
// (le for histograms' buckets, quantile for summaries).
func exportedLabels(t testing.TB) map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]bool{}
	for _, f := range served(t) {
		names := map[string]bool{"le": true, "quantile": true}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				names[l.GetName()] = true
			}
		}
		out[f.GetName()] = names
	}
	return out
}
