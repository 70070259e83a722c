package highlight

// CSS is the stylesheet for the classes: a light palette and a dark one under
// @media (prefers-color-scheme: dark), both with WCAG AA contrast (4.5:1) against the code
// backgrounds #f6f8fa (light) and #161b22 (dark). Rules apply inside code elements. Prompts
// are not selectable, so that copying a session copies the commands only.
const CSS = `code .k,code .o,code .cp{color:#cf222e}
code .kt,code .nv,code .ph{color:#953800}
code .kc,code .m,code .nb,code .na{color:#0550ae}
code .s{color:#0a3069}
code .c{color:#57606a}
code .nf,code .nd{color:#8250df}
code .nt{color:#116329}
code .gp,code .go{color:#57606a}
code .gp{user-select:none;-webkit-user-select:none}
code .ph{font-style:italic}
@media (prefers-color-scheme: dark){
code .k,code .o,code .cp{color:#ff7b72}
code .kt,code .nv,code .ph{color:#ffa657}
code .kc,code .m,code .nb,code .na{color:#79c0ff}
code .s{color:#a5d6ff}
code .c{color:#8b949e}
code .nf,code .nd{color:#d2a8ff}
code .nt{color:#7ee787}
code .gp,code .go{color:#8b949e}
}
`
