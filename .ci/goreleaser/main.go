// Command goreleaser checks .goreleaser.yaml without running GoReleaser,
// whose binary takes minutes to build here. It
//
//  1. loads the file with GoReleaser's own loader (pkg/config, the version
//     in go.mod), which rejects unknown keys, and shows that it does by
//     loading copies with an unknown key added at the top and in a build;
//  2. runs the before hooks, as GoReleaser would (split like a shell line,
//     no shell), with {{ .Version }} and {{ .CommitTimestamp }} filled in;
//  3. checks that every archive's files globs match a file, and that the
//     Dockerfile copies the binary from $TARGETPLATFORM/;
//  4. builds each build with its ldflags for the host and runs `desk
//     version`, which must print the version it was given; and builds it
//     for the -target platforms (goos/goarch pairs it lists) exactly as
//     GoReleaser would, with its env, flags and ldflags, and checks the
//     executable's format and that the version is in it.
//
// What it does not check: templates with fields other than .Version and
// .CommitTimestamp (the archive names, the image tags), mod_timestamp, the
// targets not named, the archives and checksums themselves, the image
// build, publishing.
//
// Usage (from the repository root):
//
//	go run -C .ci/goreleaser . -config ../../.goreleaser.yaml -root ../.. -version 0.0.0-ci -target darwin/arm64
package main

import (
	"bytes"
	"debug/elf"
	"debug/macho"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/goreleaser/goreleaser/v2/pkg/config"
	"github.com/mattn/go-shellwords"
)

func main() {
	file := flag.String("config", ".goreleaser.yaml", "the GoReleaser `file`")
	root := flag.String("root", ".", "the repository `folder` the file is in")
	version := flag.String("version", "0.0.0-ci", "the `version` to build, as GoReleaser's .Version (no v)")
	targets := flag.String("target", "darwin/arm64", "comma-separated `goos/goarch` pairs to cross-build besides the host")
	flag.Parse()
	if err := check(*file, *root, *version, strings.Split(*targets, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "goreleaser check:", err)
		os.Exit(1)
	}
}

func check(file, root, version string, targets []string) error {
	start := time.Now()
	cfg, err := load(file)
	if err != nil {
		return err
	}
	if len(cfg.Builds) == 0 {
		return fmt.Errorf("%s: no builds", file)
	}
	ct, err := gitOut(root, "log", "-1", "--format=%ct")
	if err != nil {
		return err
	}
	commitTime, err := strconv.ParseInt(ct, 10, 64)
	if err != nil {
		return fmt.Errorf("git log: commit time %q: %w", ct, err)
	}
	vars := map[string]any{"Version": version, "CommitTimestamp": commitTime}

	for _, hook := range cfg.Before.Hooks {
		line, err := expand(hook, vars)
		if err != nil {
			return fmt.Errorf("before hook %q: %w", hook, err)
		}
		args, err := shellwords.Parse(line)
		if err != nil || len(args) == 0 {
			return fmt.Errorf("before hook %q: %v", hook, err)
		}
		fmt.Println("hook:", line)
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir, cmd.Stdout, cmd.Stderr = root, os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("before hook %q: %w", line, err)
		}
	}

	for _, a := range cfg.Archives {
		for _, f := range a.Files {
			m, err := filepath.Glob(filepath.Join(root, f.Source))
			if err != nil || len(m) == 0 {
				return fmt.Errorf("archive %s: files %q match nothing (after the hooks)", a.ID, f.Source)
			}
			fmt.Printf("archive %s: %s: %d files\n", a.ID, f.Source, len(m))
		}
	}
	for _, d := range cfg.DockersV2 {
		name := d.Dockerfile
		if name == "" {
			name = "Dockerfile"
		}
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			return fmt.Errorf("dockers_v2 %s: %w", d.ID, err)
		}
		for _, b := range cfg.Builds {
			if slices.Contains(d.IDs, b.ID) && !bytes.Contains(data, []byte("COPY $TARGETPLATFORM/"+b.Binary+" ")) {
				return fmt.Errorf("dockers_v2 %s: %s does not COPY $TARGETPLATFORM/%s", d.ID, name, b.Binary)
			}
		}
	}

	out, err := os.MkdirTemp("", "goreleaser-check-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(out)
	for _, b := range cfg.Builds {
		var ldflags []string
		for _, l := range b.BuildDetails.Ldflags {
			l, err := expand(l, vars)
			if err != nil {
				return fmt.Errorf("build %s: ldflags: %w", b.ID, err)
			}
			ldflags = append(ldflags, "-ldflags="+l)
		}
		// On the host, with the build's ldflags alone (the compiled
		// packages are then those go test left in the cache, and only the
		// link is new): desk version must print the version they set.
		bin := filepath.Join(out, "host", b.Binary)
		if err := goBuild(root, nil, append(ldflags, "-o", bin, b.Main)); err != nil {
			return fmt.Errorf("build %s for the host: %w", b.ID, err)
		}
		got, err := exec.Command(bin, "version").Output()
		if err != nil {
			return fmt.Errorf("%s version: %w", bin, err)
		}
		if want := b.Binary + " v" + version + "\n"; string(got) != want {
			return fmt.Errorf("host build: version printed %q, want %q", got, want)
		}
		fmt.Printf("host build with the ldflags: %s", got)

		// For each target, the build as GoReleaser runs it: env, flags,
		// ldflags. The binary must be one for that platform, holding the
		// version (-X names a variable that exists, or it sets nothing).
		for _, t := range targets {
			goos, goarch, _ := strings.Cut(t, "/")
			if !slices.Contains(b.Goos, goos) || !slices.Contains(b.Goarch, goarch) {
				return fmt.Errorf("build %s: %s is not among its goos %v and goarch %v", b.ID, t, b.Goos, b.Goarch)
			}
			bin := filepath.Join(out, goos+"_"+goarch, b.Binary)
			env := append(append([]string{}, b.BuildDetails.Env...), "GOOS="+goos, "GOARCH="+goarch)
			args := append(append(append([]string{}, b.BuildDetails.Flags...), ldflags...), "-o", bin, b.Main)
			t0 := time.Now()
			if err := goBuild(root, env, args); err != nil {
				return fmt.Errorf("build %s for %s: %w", b.ID, t, err)
			}
			if err := platformOf(bin, goos, goarch); err != nil {
				return err
			}
			data, err := os.ReadFile(bin)
			if err != nil {
				return err
			}
			if !bytes.Contains(data, []byte("v"+version)) {
				return fmt.Errorf("%s: no v%s in the binary: the ldflags set nothing", t, version)
			}
			fmt.Printf("build %s %s: %s go build %s: a %s/%s executable holding v%s (%s)\n", b.ID, t,
				strings.Join(env, " "), strings.Join(args, " "), goos, goarch, version, time.Since(t0).Round(time.Second))
		}
	}
	fmt.Printf("goreleaser check: %s is valid for GoReleaser's loader; hooks ran; builds passed (%s)\n", file, time.Since(start).Round(time.Second))
	return nil
}

// load loads file as GoReleaser does, and proves that the loader is strict
// here: copies with an unknown key must fail to load.
func load(file string) (config.Project, error) {
	cfg, err := config.Load(file)
	if err != nil {
		return cfg, fmt.Errorf("%s: %w", file, err)
	}
	if cfg.Version != 2 {
		return cfg, fmt.Errorf("%s: version %d, want 2", file, cfg.Version)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return cfg, err
	}
	for _, bad := range []string{
		string(data) + "\nnot_a_goreleaser_key: true\n",
		strings.Replace(string(data), "\nbuilds:\n  - ", "\nbuilds:\n  - not_a_build_key: true\n    ", 1),
	} {
		if bad == string(data) {
			return cfg, fmt.Errorf("%s: no \"builds:\\n  - \" to add an unknown key to", file)
		}
		if _, err := config.LoadReader(strings.NewReader(bad)); err == nil {
			return cfg, fmt.Errorf("GoReleaser's loader accepted an unknown key: it is not strict, so this check proves nothing")
		}
	}
	return cfg, nil
}

// expand fills in a GoReleaser template with the fields this check knows
// (.Version, .CommitTimestamp), and fails on any other.
func expand(s string, vars map[string]any) (string, error) {
	t, err := template.New("").Option("missingkey=error").Parse(s)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := t.Execute(&b, vars); err != nil {
		return "", fmt.Errorf("%w (this check fills in .Version and .CommitTimestamp only)", err)
	}
	return b.String(), nil
}

func gitOut(dir string, args ...string) (string, error) {
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out)), nil
}

// goBuild runs go build in root with env added to this process's.
func goBuild(root string, env, args []string) error {
	cmd := exec.Command("go", append([]string{"build"}, args...)...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = root, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), env...)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s: %w", strings.Join(args, " "), err)
	}
	return nil
}

// platformOf checks that bin is an executable for goos/goarch.
func platformOf(bin, goos, goarch string) error {
	var got string
	switch goos {
	case "linux":
		f, err := elf.Open(bin)
		if err != nil {
			return fmt.Errorf("%s: %w", bin, err)
		}
		defer f.Close()
		got = map[elf.Machine]string{elf.EM_X86_64: "amd64", elf.EM_AARCH64: "arm64"}[f.Machine]
	case "darwin":
		f, err := macho.Open(bin)
		if err != nil {
			return fmt.Errorf("%s: %w", bin, err)
		}
		defer f.Close()
		got = map[macho.Cpu]string{macho.CpuAmd64: "amd64", macho.CpuArm64: "arm64"}[f.Cpu]
	default:
		return fmt.Errorf("%s: this check reads linux and darwin executables, not %s", bin, goos)
	}
	if got != goarch {
		return fmt.Errorf("%s: built for %q, want %s/%s", bin, got, goos, goarch)
	}
	return nil
}
