package site

import (
	"math"
	"slices"
	"strings"
	"unicode"
)

// maxRelated is how many related articles a page lists.
const maxRelated = 5

// findRelated gives each article the articles most like it: those it links
// to or that link to it, those from the same tickets, and those whose titles
// share rare words (or, in Chinese, rare character pairs), with tags and the
// category as smaller signals. Words held by many titles are skipped, so the
// work stays proportional to the number of articles.
func findRelated(articles []*article) {
	n := len(articles)
	if n < 2 {
		return
	}
	bySlug := map[string]int{}
	for i, a := range articles {
		bySlug[a.slug] = i
	}
	terms := make([][]string, n)
	post := map[string][]int{}
	for i, a := range articles {
		seen := map[string]bool{}
		for _, t := range titleTerms(a.a.Title) {
			seen["w:"+t] = true
		}
		for _, t := range a.a.Tags {
			seen["t:"+strings.ToLower(t)] = true
		}
		for _, id := range a.a.Tickets {
			seen["k:"+id] = true
		}
		for t := range seen {
			terms[i] = append(terms[i], t)
			post[t] = append(post[t], i)
		}
	}
	limit := max(50, n/20)
	links := make([][]int, n)
	for i, a := range articles {
		for _, s := range a.links {
			if j, ok := bySlug[s]; ok && j != i {
				links[i] = append(links[i], j)
				links[j] = append(links[j], i)
			}
		}
	}
	score := make([]float64, n)
	var touched []int
	for i, a := range articles {
		touched = touched[:0]
		add := func(j int, w float64) {
			if j == i {
				return
			}
			if score[j] == 0 {
				touched = append(touched, j)
			}
			score[j] += w
		}
		for _, j := range links[i] {
			add(j, 4)
		}
		for _, t := range terms[i] {
			p := post[t]
			if len(p) > limit || len(p) < 2 {
				continue
			}
			w := math.Log(float64(n) / float64(len(p)))
			switch t[0] {
			case 't':
				w *= 0.5
			case 'k':
				w = 3
			}
			for _, j := range p {
				add(j, w)
			}
		}
		for _, j := range touched {
			if articles[j].a.Category == a.a.Category {
				score[j] += 0.25
			}
		}
		slices.SortFunc(touched, func(x, y int) int {
			if score[x] != score[y] {
				if score[x] > score[y] {
					return -1
				}
				return 1
			}
			return strings.Compare(articles[x].slug, articles[y].slug)
		})
		for _, j := range touched[:min(maxRelated, len(touched))] {
			a.related = append(a.related, articles[j])
		}
		for _, j := range touched {
			score[j] = 0
		}
	}
}

// titleTerms splits a title into lowercase words of two or more letters and,
// for Chinese, Japanese and Korean text, pairs of neighbouring characters.
func titleTerms(title string) []string {
	var out []string
	var word []rune
	var prev rune
	flush := func() {
		if len(word) >= 2 {
			out = append(out, string(word))
		}
		word = word[:0]
	}
	for _, r := range strings.ToLower(title) {
		switch {
		case isCJK(r):
			flush()
			if prev != 0 && isCJK(prev) {
				out = append(out, string([]rune{prev, r}))
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			word = append(word, r)
		default:
			flush()
		}
		prev = r
	}
	flush()
	return out
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}
