// Command loadgen writes a desk repository with many tickets, for benchmarks and tests.
//
//	go run ./examples/loadgen -n 100000 -out DIR [-corpus PATH] [-seed 1] [-until TIME] [-history K]
//
// The tickets follow spec/FORMAT.md and the default desk.toml: realistic Chinese and
// English text, event logs with valid transitions, SLA misses explained, feedback on
// closed tickets, a few major incidents, and about 5–10 % still open. The articles of a
// corpus (kb-zh/*.md and kb-en/*.md under -corpus, default $DESK_CORPUS) are copied into
// kb/. Everything is written with one git fast-import, so the same flags always give
// the same commits; the working tree, the index and HEAD agree at the end.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/deskhq/desk/kb"
	"github.com/deskhq/desk/repo/config"
)

const (
	authorName  = "Desk Loadgen"
	authorEmail = "loadgen@example.com"
)

type options struct {
	n        int
	out      string
	corpus   string
	seed     uint64
	until    time.Time
	history  int
	progress io.Writer // nil: quiet
	verbose  io.Writer // phase timings; nil: none
}

type result struct {
	tickets, open, articles, commits int
	elapsed                          time.Duration
}

func main() {
	var o options
	var until string
	var seed int64
	flag.IntVar(&o.n, "n", 1000, "number of tickets")
	flag.StringVar(&o.out, "out", "", "repository to create (must not exist or be empty)")
	flag.StringVar(&o.corpus, "corpus", os.Getenv("DESK_CORPUS"), "corpus folder with kb-zh/ and kb-en/ (default $DESK_CORPUS; none: no articles)")
	flag.Int64Var(&seed, "seed", 1, "random seed; the same flags give the same repository")
	flag.StringVar(&until, "until", "2026-11-22T00:00:00+08:00", "reference time: tickets are created in the 24 months before it")
	flag.IntVar(&o.history, "history", 1, "spread the tickets over this many commits, oldest first")
	verbose := flag.Bool("v", false, "print the time each phase takes")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: loadgen -n N -out DIR [-corpus PATH] [-seed S] [-until TIME] [-history K]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	fail := func(code int, format string, args ...any) {
		fmt.Fprintf(os.Stderr, "loadgen: "+format+"\n", args...)
		os.Exit(code)
	}
	if flag.NArg() > 0 || o.out == "" || o.n < 0 || o.history < 1 {
		flag.Usage()
		os.Exit(2)
	}
	var err error
	if o.until, err = time.Parse(time.RFC3339, until); err != nil {
		fail(2, "-until: %v", err)
	}
	o.seed = uint64(seed)
	if *verbose {
		o.verbose = os.Stderr
	}
	if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
		o.progress = os.Stderr
	}
	res, err := run(o)
	if err != nil {
		fail(1, "%v", err)
	}
	fmt.Fprintf(os.Stderr, "loadgen: %d tickets (%d open), %d articles, %d commit(s) in %s, %.1f s\n",
		res.tickets, res.open, res.articles, res.commits, o.out, res.elapsed.Seconds())
}

// article is a corpus file to copy.
type article struct {
	slug string
	data []byte
}

// mentions reports whether the article holds any of the strings (personal data check).
func (a *article) mentions(ss ...string) bool {
	for _, s := range ss {
		if s != "" && bytes.Contains(a.data, []byte(s)) {
			return true
		}
	}
	return false
}

// loadCorpus reads kb-zh/*.md and kb-en/*.md. File names that are valid slugs are kept;
// the others get a slug derived from them, made unique.
func loadCorpus(dir string) ([]*article, error) {
	if dir == "" {
		return nil, nil
	}
	var files []string
	for _, sub := range []string{"kb-zh", "kb-en"} {
		m, err := filepath.Glob(filepath.Join(dir, sub, "*.md"))
		if err != nil {
			return nil, err
		}
		sort.Strings(m)
		files = append(files, m...)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("corpus %s: no kb-zh/*.md or kb-en/*.md", dir)
	}
	taken := map[string]bool{}
	for _, f := range files {
		if s := strings.TrimSuffix(filepath.Base(f), ".md"); kb.ValidSlug(s) {
			taken[s] = true
		}
	}
	arts := make([]*article, len(files))
	var wg sync.WaitGroup
	errs := make([]error, len(files))
	sem := make(chan struct{}, 16)
	for i, f := range files {
		slug := strings.TrimSuffix(filepath.Base(f), ".md")
		if !kb.ValidSlug(slug) {
			base := deriveSlug(slug)
			slug = base
			for k := 2; taken[slug]; k++ {
				slug = base + "-" + strconv.Itoa(k)
			}
			taken[slug] = true
		}
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, f, slug string) {
			defer func() { <-sem; wg.Done() }()
			data, err := os.ReadFile(f)
			arts[i], errs[i] = &article{slug: slug, data: data}, err
		}(i, f, slug)
	}
	wg.Wait()
	return arts, errors.Join(errs...)
}

// deriveSlug makes a slug of a file name as desk does (kb.Slugify), "article" when the
// name has no letter or digit to keep.
func deriveSlug(name string) string {
	if s := kb.Slugify(name); s != "" {
		return s
	}
	return "article"
}

// creationTimes spreads n times over the 24 months before until: more on working days
// and in business hours, slowly growing over time. It returns them sorted, with IDs.
func creationTimes(cfg *config.Config, n int, until time.Time, seed uint64) ([]time.Time, []string) {
	r := rand.New(rand.NewPCG(seed, 0x7469636b))
	loc := cfg.Location
	u := until.In(loc)
	from := u.AddDate(-2, 0, 0)
	day0 := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, loc)
	var days []time.Time
	var cum []float64
	sum := 0.0
	for d := day0; d.Before(u); d = d.AddDate(0, 0, 1) {
		w := 1.0
		switch {
		case !isBusinessDay(cfg, d) && (d.Weekday() == time.Saturday || d.Weekday() == time.Sunday):
			w = 0.14
		case !isBusinessDay(cfg, d):
			w = 0.2
		}
		w *= 0.75 + 0.5*float64(d.Sub(day0))/float64(u.Sub(day0))
		sum += w
		days = append(days, d)
		cum = append(cum, sum)
	}
	hourW := []int{0, 0, 0, 0, 0, 0, 0, 1, 3, 10, 14, 12, 5, 8, 12, 12, 11, 8, 4, 3, 2, 2, 1, 0}
	hsum := 0
	for _, w := range hourW {
		hsum += w
	}
	times := make([]time.Time, 0, n)
	for len(times) < n {
		d := days[sort.SearchFloat64s(cum, r.Float64()*sum)]
		var h int
		if isBusinessDay(cfg, d) {
			x := r.IntN(hsum)
			for h = 0; x >= hourW[h]; h++ {
				x -= hourW[h]
			}
		} else {
			h = 8 + r.IntN(14)
		}
		t := d.Add(time.Duration(h)*time.Hour + time.Duration(r.IntN(3600))*time.Second)
		if t.Before(from) || !t.Before(u) {
			continue
		}
		times = append(times, t)
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	ids := make([]string, n)
	day, k := "", 0
	for i, t := range times {
		if s := t.Format("20060102"); s != day {
			day, k = s, 0
		}
		k++
		ids[i] = cfg.Desk.IDPrefix + "-" + day + "-" + strconv.Itoa(k)
	}
	return times, ids
}

func checkOut(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case os.IsNotExist(err):
		return os.MkdirAll(dir, 0o755)
	case err != nil:
		return err
	case len(entries) > 0:
		return fmt.Errorf("%s exists and is not empty", dir)
	}
	return nil
}

func git(dir string, stdin io.Reader, args ...string) error {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Stdin = stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "LC_ALL=C")
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

func run(o options) (result, error) {
	begin := time.Now()
	var res result
	phase := begin
	lap := func(name string) {
		if o.verbose != nil {
			fmt.Fprintf(o.verbose, "loadgen: %-12s %6.2f s\n", name, time.Since(phase).Seconds())
		}
		phase = time.Now()
	}
	if err := checkOut(o.out); err != nil {
		return res, err
	}
	// desk.toml is what desk init writes by default, and cfg is that file loaded.
	cfg := config.Default("en")
	deskTOML := config.DefaultText(cfg.Desk.IDPrefix, cfg.Desk.Timezone, cfg.Desk.Language)
	arts, err := loadCorpus(o.corpus)
	if err != nil {
		return res, err
	}
	artBySlug := map[string]*article{}
	for _, a := range arts {
		artBySlug[a.slug] = a
	}
	lap("corpus")
	times, ids := creationTimes(cfg, o.n, o.until, o.seed)
	w := newWorld(cfg, o.until, o.seed, ids, times, artBySlug)

	if err := git(o.out, nil, "init", "-q", "-b", "main"); err != nil {
		return res, err
	}
	// fast-import reads the stream while we write it.
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := git(o.out, pr, "-c", "pack.compression=1", "fast-import", "--quiet", "--done", "--force", "--depth=0")
		pr.CloseWithError(err)
		done <- err
	}()
	out := bufio.NewWriterSize(pw, 1<<20)
	// The working tree is written alongside fast-import, from the same bytes, and the
	// index from what was written (see treeWriter).
	wt := newTreeWriter(o.out)
	mark := 0
	blob := func(path string, data []byte) int {
		mark++
		fmt.Fprintf(out, "blob\nmark :%d\ndata %d\n", mark, len(data))
		out.Write(data)
		out.WriteByte('\n')
		wt.add(path, data)
		return mark
	}
	type file struct {
		path string
		mark int
	}
	var base []file
	add := func(path string, data []byte) { base = append(base, file{path, blob(path, data)}) }
	add(config.File, []byte(deskTOML))
	add(".gitattributes", []byte("tickets/**/*.md merge=desk\n"))
	for _, a := range arts {
		add("kb/"+a.slug+".md", a.data)
	}
	res.articles = len(arts)

	// Tickets: generated in parallel in batches, written in order.
	ticketFiles := make([]file, o.n)
	lastEvent := make([]time.Time, o.n)
	const batch = 512
	nb := (o.n + batch - 1) / batch
	type batchOut struct {
		data [][]byte
		open int
	}
	outs := make([]chan batchOut, nb)
	for i := range outs {
		outs[i] = make(chan batchOut, 1)
	}
	workers := runtime.GOMAXPROCS(0)
	// Workers may run ahead of the writer by a bounded number of batches; the tokens
	// are taken in batch order, so the batch the writer waits for always has one.
	ahead := make(chan struct{}, 4*workers)
	next := make(chan int)
	go func() {
		for b := 0; b < nb; b++ {
			ahead <- struct{}{}
			next <- b
		}
		close(next)
	}()
	for k := 0; k < workers; k++ {
		go func() {
			for b := range next {
				lo, hi := b*batch, min((b+1)*batch, o.n)
				var bo batchOut
				for i := lo; i < hi; i++ {
					t := w.ticket(i)
					bo.data = append(bo.data, t.render(make([]byte, 0, 4096)))
					lastEvent[i] = t.events[len(t.events)-1].at
					if t.status != "closed" && t.status != "archived" && t.status != "resolved" {
						bo.open++
					}
				}
				outs[b] <- bo
			}
		}()
	}
	for b := 0; b < nb; b++ {
		bo := <-outs[b]
		<-ahead
		for j, data := range bo.data {
			i := b*batch + j
			ct := times[i].In(cfg.Location)
			path := fmt.Sprintf("tickets/%04d/%02d/%s.md", ct.Year(), ct.Month(), ids[i])
			ticketFiles[i] = file{path, blob(path, data)}
		}
		res.open += bo.open
		if o.progress != nil {
			fmt.Fprintf(o.progress, "\rloadgen: %d/%d tickets", min((b+1)*batch, o.n), o.n)
		}
	}
	if o.progress != nil {
		fmt.Fprintln(o.progress)
	}
	res.tickets = o.n
	lap("generate")

	// Commits: the tickets in K chunks by creation, each commit dated after every event
	// of the files it adds.
	k := min(o.history, max(o.n, 1))
	var when time.Time
	prev := 0
	for c := 0; c < k; c++ {
		lo, hi := c*o.n/k, (c+1)*o.n/k
		files := ticketFiles[lo:hi]
		for i := lo; i < hi; i++ {
			if lastEvent[i].After(when) {
				when = lastEvent[i]
			}
		}
		if c == 0 {
			files = append(base, files...)
		}
		if when.IsZero() {
			when = o.until
		}
		msg := fmt.Sprintf("loadgen: %d tickets, %d articles\n", o.n, len(arts))
		if k > 1 {
			msg = fmt.Sprintf("loadgen: tickets %d–%d of %d (commit %d/%d)\n", lo+1, hi, o.n, c+1, k)
		}
		if c == 0 && len(arts) > 0 {
			msg += "\nThe articles in kb/ are copied unchanged from a corpus of real documentation;\n" +
				"each names its origin in source, and the corpus README gives the licences\n" +
				"(pingcap/docs-cn: CC BY-SA 3.0; tldr-pages/tldr: CC BY 4.0).\n"
		}
		msg += fmt.Sprintf("\nDesk-Loadgen: n=%d seed=%d until=%s history=%d\n", o.n, o.seed, o.until.Format(time.RFC3339), k)
		mark++
		stamp := fmt.Sprintf("%d +0800", when.Unix())
		fmt.Fprintf(out, "commit refs/heads/main\nmark :%d\nauthor %s <%s> %s\ncommitter %s <%s> %s\ndata %d\n%s",
			mark, authorName, authorEmail, stamp, authorName, authorEmail, stamp, len(msg), msg)
		if prev != 0 {
			fmt.Fprintf(out, "from :%d\n", prev)
		}
		for _, f := range files {
			fmt.Fprintf(out, "M 100644 :%d %s\n", f.mark, f.path)
		}
		out.WriteString("\n")
		prev = mark
		res.commits++
	}
	out.WriteString("done\n")
	if err := out.Flush(); err != nil {
		pw.CloseWithError(err)
		wt.wait()
		return res, fmt.Errorf("fast-import: %v (%v)", err, <-done)
	}
	pw.Close()
	if err := <-done; err != nil {
		return res, err
	}
	lap("fast-import")
	if err := wt.wait(); err != nil {
		return res, err
	}
	lap("files")
	if err := wt.writeIndex(); err != nil {
		return res, err
	}
	lap("index")
	res.elapsed = time.Since(begin)
	return res, nil
}
