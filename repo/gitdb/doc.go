// Package gitdb is desk's low-level git layer: the plumbing under desk's
// porcelain. It reads trees and files from commits and makes the commits that
// every changing desk command produces, writing git's on-disk formats itself so
// that a commit touches only what changed and costs milliseconds even in a
// repository with 100,000 tracked files.
//
// # Terms
//
//   - Work tree (TopLevel): the checked-out folder of the repository, the
//     folder that holds ".git". Paths given to this package are relative to it
//     and slash-separated ("tickets/T-1.md"), as git writes them in trees and
//     in the index.
//   - Git dir (GitDir): the folder with HEAD, the index and the per-worktree
//     state: ".git" itself, or for a linked worktree or a submodule the folder
//     that the ".git" file names with "gitdir: ...".
//   - Common dir (CommonDir): the folder with the objects, the branches and the
//     config that all worktrees of one repository share; the git dir itself
//     unless the git dir has a "commondir" file.
//   - HEAD: the current branch (a symbolic ref such as "refs/heads/main") and
//     the commit it points to. A branch with no commit yet is unborn; a HEAD
//     holding a commit hash instead of a branch name is detached.
//   - Index: the file .git/index, git's staging area. It lists every tracked
//     path with its blob hash and the stat data (times, inode, size) git uses
//     to tell quickly that a work-tree file is unchanged. When HEAD, the index
//     and the work tree agree, `git status` is empty.
//   - Cache tree: the index's optional TREE extension, remembering the tree
//     hash of each directory so that `git commit` need not rehash them. A
//     directory whose entry count is -1 is invalid and git recomputes it.
//   - Index lock: the file .git/index.lock. Git creates it with O_EXCL before
//     it changes the index (and keeps it during `git commit`), writes the new
//     index into it, then renames it over .git/index. Holding it is how desk
//     and git exclude each other.
//   - Owner file: .git/desk/index.lock.owner, written by desk while it holds
//     the index lock, naming desk's pid, the lock file's inode and, where the
//     filesystem has extended attributes, a random tag that desk also puts on
//     the lock file (attribute user.desk.lock). It also names the ref lock
//     desk holds while moving the branch. A lock that the owner file names
//     and whose process is gone is stale and is removed, so that a desk
//     killed with SIGKILL never blocks the next one. A lock with no matching
//     owner file is git's and is never touched.
//   - .git/desk/: desk's own folder inside the git dir (git ignores it): the
//     owner file, an flock file serialising lock taking and recovery among
//     desk processes, and tmp/ for temporary files, so that a desk killed
//     mid-write leaves no debris in the work tree.
//   - Update: one desk transaction. It takes the index lock, lets the caller
//     read the current state and stage changes (Tx), then writes blobs, trees
//     and a commit, the work-tree files, the index (into the lock file) and
//     moves the branch with a compare-and-swap on its ref, so the branch never
//     moves from a state the caller did not see; last, the lock file becomes
//     the index. A failure before that restores the work tree.
//   - Journal: .git/desk/journal, written (whole, by rename) after the
//     objects and before the work tree is touched. It names the index lock
//     it belongs to, the branch with its commit before and after, and for
//     each staged path the blob it held before (stored as an object if it
//     was not one already) and the blob it will hold. See "Crash
//     consistency" below.
//   - Compare-and-swap (CAS) of a ref: take "<ref>.lock" with O_EXCL, check the
//     ref still holds the commit read at the start, write the new hash into the
//     lock and rename it over the ref, as git's files backend does. A mismatch
//     is ErrConflict.
//   - Reflog: the per-ref history in logs/, appended on every ref move.
//   - Identity: the name, email and time written as author and committer,
//     resolved as git does from GIT_AUTHOR_* / GIT_COMMITTER_* variables and
//     the user.* settings of the repository, global and system config.
//
// # Crash consistency
//
// A desk command either lands whole or leaves nothing, whatever instant it
// is killed at. An Update writes in this order, each step complete before
// the next begins:
//
//  1. index.lock, created by hard link from a file already named in the
//     owner file (so a lock desk holds is always recognisable as desk's);
//  2. HEAD and the index are read under the lock; the branch is the one
//     HEAD names (an index newer than two seconds whose cache tree is not
//     HEAD's tree means a `git checkout` is between writing its index and
//     moving HEAD: wait up to headSettle for HEAD);
//  3. objects: blobs, trees, the commit (unreachable garbage if we stop);
//  4. the journal;
//  5. the work-tree files, each by rename from .git/desk/tmp;
//  6. the new index into index.lock, synced;
//  7. the branch: "<ref>.lock" (named in the owner file), the check that the
//     ref still holds the old commit and that HEAD still names the ref, the
//     reflog lines, the rename over the ref. This rename is the commit
//     point;
//  8. index.lock renamed over the index;
//  9. the owner file and the journal removed.
//
// Every desk command (Recover, called when the repository is opened, and
// lock taking) that finds an index.lock whose owner file names it, written
// by a process that is gone, repairs what that desk left:
//
//   - no journal of that lock (killed in 1-3): nothing was touched but
//     objects; the locks are removed.
//   - the branch still holds the old commit (killed in 4-7): the work tree
//     paths are put back from the journal's old blobs, folders the change
//     made are removed when empty, the index gets the restored files' stat
//     data, and the locks are removed. `git status` is as before the
//     command.
//   - the branch holds the new commit (killed in 8-9): the work tree is
//     checked against the new blobs (rewritten where it differs) and the
//     index in the lock is installed. The command's change is in HEAD,
//     index and work tree, as if it had finished.
//   - the branch holds a third commit (moved by someone since): nothing is
//     guessed; the error wraps ErrUnrecoverable and the locks stay for a
//     human.
//
// Repairs are idempotent: a desk killed while repairing is repaired by the
// next one. Recovery runs under the flock on .git/desk/lock, so two desks
// never repair at once, and never touches a lock whose owner is alive or
// that is git's.
//
// # Limits
//
// File contents are stored verbatim: no clean/smudge filters, no end-of-line
// conversion. Only SHA-1 repositories with the files ref backend are
// supported; Open refuses others (SHA-256, reftable, unknown extensions in
// format 1) naming the setting. Update refuses a split index
// (core.splitIndex) before anything is written. In a sparse checkout a path
// outside the cone is written as `git add --sparse` writes it
// (applyIndexChanges). Commits are signed as git signs them when
// commit.gpgSign is true; no hook runs. Open refuses a repository owned by
// another user unless safe.directory names it. Index versions 2, 3 and 4 are
// updated in place of the lock file, entry by entry. Loose objects and the
// journal are not fsynced (git's default neither): a killed process loses
// nothing, a machine crash may need `git fsck`. Without extended attributes
// on the filesystem, a desk killed in the two syscalls between removing its
// owner file and renaming the lock leaves a lock without owner that needs a
// human (see lockIndex). The GIT_DIR, GIT_WORK_TREE and GIT_INDEX_FILE
// variables are not consulted: Open finds the repository from the folder it
// is given.
package gitdb
