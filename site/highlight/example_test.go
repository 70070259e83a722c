package highlight_test

import (
	"bytes"
	"fmt"

	"github.com/deskhq/desk/site/highlight"
)

func ExampleWrite() {
	var b bytes.Buffer
	b.WriteString(`<pre><code class="language-sh">`)
	highlight.Write(&b, "sh", []byte("tar -xf {{archive.tar}} # extract"))
	b.WriteString("</code></pre>")
	fmt.Println(b.String())
	// Output:
	// <pre><code class="language-sh">tar <span class="na">-xf</span> <span class="ph">{{archive.tar}}</span> <span class="c"># extract</span></code></pre>
}

func ExampleKnown() {
	fmt.Println(highlight.Known("Bash"), highlight.Known("yml"), highlight.Known("mermaid"))
	// Output: true true false
}
