package main

import (
	"runtime"
	"runtime/debug"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// commit is the VCS revision, set at build time with -ldflags
// "-X main.commit=..." (make build does); empty falls back to the revision
// Go stamps into binaries it builds inside a checkout.
var commit = ""

// buildInfo is proofstell_build_info: always 1, its labels say which binary
// runs, so a dashboard can join any series on the version a node runs.
var buildInfo = promauto.NewGaugeVec(prometheus.GaugeOpts{
	Name: "proofstell_build_info",
	Help: "Always 1; labelled with the version and VCS commit this binary was built from and its Go version.",
}, []string{"version", "commit", "goversion"})

func init() {
	v, c := buildVersion(version, commit, debug.ReadBuildInfo)
	buildInfo.WithLabelValues(v, c, runtime.Version()).Set(1)
}

// buildVersion is the version and commit of this binary: the linker's
// values when set, else what the Go toolchain recorded (the module version
// of `go install ...@vX`, the vcs.revision of a build in a checkout, with
// "-dirty" for uncommitted changes), else "dev" and "unknown".
func buildVersion(version, commit string, read func() (*debug.BuildInfo, bool)) (string, string) {
	bi, ok := read()
	if !ok {
		bi = &debug.BuildInfo{}
	}
	if version == "" || version == "dev" {
		version = "dev"
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			version = v
		}
	}
	if commit == "" {
		commit = "unknown"
		settings := map[string]string{}
		for _, s := range bi.Settings {
			settings[s.Key] = s.Value
		}
		if rev := settings["vcs.revision"]; rev != "" {
			commit = rev
			if settings["vcs.modified"] == "true" {
				commit += "-dirty"
			}
		}
	}
	return version, commit
}
