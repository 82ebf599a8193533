/// The HTML skeleton every report shares: doctype, viewport, the inline style sheet (light and dark
/// colours, a grid that folds to one column on a phone) and nothing loaded from anywhere else.
enum Page {
    /// A complete page around `body`.
    static func document(title: String, body: Markup) -> String {
        var page = Markup()
        page.literal("<!DOCTYPE html>\n")
        page.element("html", ["lang": "en"]) { html in
            html.element("head") { head in
                head.empty("meta", ["charset": "utf-8"])
                head.empty("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"])
                head.empty("meta", ["name": "color-scheme", "content": "light dark"])
                head.element("title", text: title)
                head.element("style") { $0.literal(styleSheet) }
            }
            html.element("body") { b in
                b.element("main") { $0.append(body) }
            }
        }
        return page.text + "\n"
    }

    /// Colours are variables so inline SVG follows the scheme; parts and series use fixed class names.
    static let styleSheet: StaticString = """
    :root{--bg:#ffffff;--fg:#1f2328;--muted:#59636e;--card:#f6f8fa;--line:#d1d9e0;--grid:#e4e8ec;\
    --values:#2f6fdf;--indices:#e0862a;--scales:#2da160;--header:#8f5fd0;--other:#9aa4ae;\
    --model:#2f6fdf;--compare:#d4453a;--train:#2f6fdf;--test:#d4453a;--sparsity:#2da160;--clip:#e0862a;--front:#d4453a}
    @media (prefers-color-scheme:dark){:root{--bg:#0f1216;--fg:#e6e8eb;--muted:#9ba5b0;--card:#181c21;--line:#30363d;\
    --grid:#252b32;--values:#6c9cff;--indices:#f0a052;--scales:#4cc387;--header:#b48cf2;--other:#6e7781;\
    --model:#6c9cff;--compare:#ff7b72;--train:#6c9cff;--test:#ff7b72;--sparsity:#4cc387;--clip:#f0a052;--front:#ff7b72}}
    *{box-sizing:border-box}
    body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
    main{max-width:1360px;margin:0 auto;padding:20px 16px 40px}
    h1{font-size:24px;margin:0 0 4px;overflow-wrap:anywhere}
    h2{font-size:18px;margin:28px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
    h3{font-size:14px;margin:0 0 6px;overflow-wrap:anywhere;font-weight:600}
    p.note,.muted{color:var(--muted)}
    p.note{margin:4px 0 10px}
    .card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px;min-width:0}
    .facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px 18px;margin:12px 0 0}
    .facts div{min-width:0}
    .facts dt{color:var(--muted);font-size:12px}
    .facts dd{margin:0;font-size:17px;font-weight:600;overflow-wrap:anywhere}
    .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:14px}
    .scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
    table{border-collapse:collapse;width:100%;font-size:13px}
    th,td{padding:4px 8px;border-bottom:1px solid var(--grid);text-align:left;vertical-align:middle;white-space:nowrap}
    th{color:var(--muted);font-weight:600;font-size:12px}
    td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
    td.name{white-space:normal;overflow-wrap:anywhere;min-width:180px;max-width:360px;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
    td.bar{width:32%;min-width:140px}
    td.key{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
    td.meta{white-space:normal;overflow-wrap:anywhere;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
    svg{display:block;width:100%;height:auto;overflow:visible}
    svg.bar{height:14px}
    svg.wide{max-width:960px;margin:0 auto}
    svg text{fill:var(--fg);font-size:11px;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
    svg text.small{font-size:9.5px;fill:var(--muted)}
    .axis{stroke:var(--line);stroke-width:1;fill:none}
    .gridline{stroke:var(--grid);stroke-width:1;fill:none}
    .values{fill:var(--values)}.indices{fill:var(--indices)}.scales{fill:var(--scales)}.header{fill:var(--header)}.other{fill:var(--other)}
    .track{fill:var(--grid)}
    .model{fill:var(--model);opacity:.85}
    .compare{fill:none;stroke:var(--compare);stroke-width:1.3}
    .line{fill:none;stroke-width:1.8;stroke-linejoin:round}
    .train{stroke:var(--train)}.test{stroke:var(--test)}.sparsity{stroke:var(--sparsity)}.clip{stroke:var(--clip)}
    .dot-train{fill:var(--train)}.dot-test{fill:var(--test)}.dot-sparsity{fill:var(--sparsity)}.dot-clip{fill:var(--clip)}
    .phase{stroke:var(--muted);stroke-dasharray:3 3;stroke-width:1;fill:none}
    .front{fill:none;stroke:var(--front);stroke-width:1.5;stroke-dasharray:5 3}
    .leader{stroke:var(--muted);stroke-width:.7;opacity:.7}
    .point{fill:var(--model);stroke:var(--bg);stroke-width:1}
    .point-front{fill:var(--front);stroke:var(--bg);stroke-width:1}
    .legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;color:var(--muted);margin:6px 0}
    .legend span::before{content:"";display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px;background:var(--c)}
    img.mask{display:block;width:100%;height:auto;image-rendering:pixelated;border:1px solid var(--line);background:#fff}
    details{border:1px solid var(--line);border-radius:8px;margin:8px 0;background:var(--card)}
    details>summary{cursor:pointer;padding:8px 12px;font-weight:600;overflow-wrap:anywhere}
    details>div{padding:0 12px 12px;background:var(--bg);border-radius:0 0 8px 8px}
    footer{margin-top:32px;color:var(--muted);font-size:12px}
    @media (max-width:600px){main{padding:12px 10px 30px}h1{font-size:20px}.grid{grid-template-columns:1fr}.facts{grid-template-columns:repeat(2,minmax(0,1fr))}td.bar{min-width:110px}}
    """
}
