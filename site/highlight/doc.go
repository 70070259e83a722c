// Package highlight colours the fenced code blocks of knowledge-base articles.
//
// It is a small table-driven highlighter written for the languages the knowledge base
// actually holds (SQL, shell, Python, YAML, TOML, JSON, Go, Java, JavaScript/TypeScript,
// XML/HTML, INI and dotenv files, C and C++), instead of a general library with hundreds of
// lexers.
//
// Terms:
//   - A language is a lexer plus its aliases: "sh", "bash", "shell", "console" and "zsh" all
//     name the shell lexer. Names are matched case-insensitively.
//   - A lexer cuts the code into tokens, each a run of bytes with a class. It never reorders,
//     drops or adds a byte: the highlighted HTML, stripped of its tags and unescaped, is the
//     input exactly.
//   - A class is a short chroma-compatible CSS class name: "k" keyword, "kt" type, "kc"
//     constant, "s" string, "c" comment, "cp" preprocessor, "m" number, "nf" function name,
//     "nb" builtin, "nv" variable, "nd" decorator or annotation, "o" operator, "gp" prompt,
//     "go" program output, "nt" tag or key, "na" attribute or command option, and "ph" for a
//     placeholder to replace (tldr's {{path/to/file}}, or <cluster-name>). Plain text and
//     punctuation get no span.
//
// Lexers are forgiving: unterminated strings and comments run to the end of the line or of the
// block, and any input, including invalid UTF-8, gives well-formed output.
package highlight
