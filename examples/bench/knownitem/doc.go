// Package knownitem reads known-item query sets and scores rankings against
// them, for the search benchmarks (examples/bench/searchq, sitecmp).
//
// Terms:
//
//   - A query is what a user types and the one article (its slug, the file
//     name under kb/ without .md) that answers it, with the kind of query it
//     is (heading, keywords, error, command, ...).
//   - A set is a file of queries: TSV with the header "query\tslug\tkind",
//     one query a line; its name is the file name without .tsv (zh-a).
//   - A rank is where an engine put the wanted article among its first 10
//     results, 1-based; 0 when it is not among them.
//   - The metrics of a list of ranks: MRR@10, the mean of 1/rank (0 for a
//     miss); R@1, the share ranked first; R@5, the share in the first five.
package knownitem
