package apidocs

import "html/template"

// stylesheet is the page's only style, inline; the page's CSP names its hash.
const stylesheet = `
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem;color:#1b1f24;background:#fff}
h1{margin-bottom:0}h2{border-bottom:2px solid #d0d7de;padding-bottom:.25rem;margin-top:2rem}
pre,code{font:14px/1.4 ui-monospace,monospace}pre{white-space:pre-wrap;background:#f6f8fa;padding:.75rem;border-radius:6px;overflow-x:auto}
details{border:1px solid #d0d7de;border-radius:6px;margin:.5rem 0;padding:.25rem .75rem}
summary{cursor:pointer;padding:.25rem 0}summary code{font-weight:600}
.m{display:inline-block;min-width:4.5rem;font-weight:700;font-family:ui-monospace,monospace}
.get{color:#0969da}.post{color:#1a7f37}.patch{color:#9a6700}.delete{color:#cf222e}.put{color:#8250df}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;vertical-align:top;border-top:1px solid #d0d7de;padding:.3rem .5rem}
.tag{font-size:.85rem;background:#eaeef2;border-radius:1rem;padding:0 .5rem;margin-right:.25rem}
nav a{margin-right:.75rem}
@media (max-width:40rem){body{padding:.5rem}.m{min-width:3.5rem}table{font-size:14px}}
`

// pageTemplate is the page; html/template escapes every value of the document.
var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>{{.Stylesheet}}</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p>Version {{.Version}} · <a href="/api/docs/openapi.json">openapi.json</a> (OpenAPI 3.1) · {{.Summary}}</p>
<nav>{{range .Tags}}<a href="#tag-{{.Name}}">{{.Name}}</a>{{end}}<a href="#schemas">schemas</a></nav>
<pre>{{.Description}}</pre>
{{range .Tags}}
<h2 id="tag-{{.Name}}">{{.Name}}</h2>
<p>{{.Description}}</p>
{{range .Operations}}
<details id="{{.ID}}">
<summary><span class="m {{.Class}}">{{.Method}}</span> <code>{{.Path}}</code> — {{.Summary}}</summary>
{{if .Description}}<p>{{.Description}}</p>{{end}}
<p>{{if .Public}}<span class="tag">public</span>{{else}}<span class="tag">bearer token</span>{{range .Roles}}<span class="tag">role {{.}}</span>{{end}}{{end}}{{if .RateLimit}}<span class="tag">rate limit: {{.RateLimit}}</span>{{end}} <code>operationId: {{.ID}}</code></p>
{{if .Parameters}}<table><tr><th>parameter</th><th>in</th><th>schema</th><th>description</th></tr>
{{range .Parameters}}<tr><td><code>{{.Name}}</code>{{if .Required}} (required){{end}}</td><td>{{.In}}</td><td><code>{{.Schema}}</code></td><td>{{.Description}}</td></tr>
{{end}}</table>{{end}}
{{if .Body}}<p><b>Request body</b></p><table>{{range .Body}}<tr><td><code>{{.Type}}</code></td><td><a href="#schema-{{.Schema}}"><code>{{.Schema}}</code></a></td></tr>{{end}}</table>{{end}}
<p><b>Responses</b></p>
<table><tr><th>status</th><th>description</th><th>body</th><th>headers</th></tr>
{{range .Responses}}<tr><td>{{.Status}}</td><td>{{.Description}}</td><td>{{range .Content}}<code>{{.Type}}</code> <a href="#schema-{{.Schema}}"><code>{{.Schema}}</code></a><br>{{end}}</td><td>{{range .Headers}}<code>{{.}}</code><br>{{end}}</td></tr>
{{end}}</table>
{{if .Codes}}<p>Error codes: {{range .Codes}}<code>{{.}}</code> {{end}}</p>{{end}}
</details>
{{end}}{{end}}
<h2 id="schemas">Schemas</h2>
{{range .Schemas}}
<details id="schema-{{.Name}}">
<summary><code>{{.Name}}</code> — {{.Type}}</summary>
{{if .Description}}<p>{{.Description}}</p>{{end}}
{{if .Properties}}<table><tr><th>property</th><th>schema</th><th>description</th></tr>
{{range .Properties}}<tr><td><code>{{.Name}}</code>{{if .Required}} (required){{end}}</td><td><code>{{.Schema}}</code></td><td>{{.Description}}</td></tr>
{{end}}</table>{{end}}
<pre>{{.Raw}}</pre>
</details>
{{end}}
</body>
</html>
`))
