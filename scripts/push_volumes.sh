#!/usr/bin/env bash
# Push each volume that `make volumes` wrote (volumes/<name>/) to its repository's gh-pages branch,
# whose GitHub Pages site publishes it (docs/running.md, "When the archive outgrows one Pages site").
#
# Each push is one orphan commit, force-pushed: the branch holds the volume as it is now, and its
# history does not grow with every deploy. Before it, the branch's last commit is fetched without
# its files' contents (--depth=1 --filter=blob:none), so that only the files that changed are sent:
# a volume of old papers changes little from one day to the next.
#
# Usage: scripts/push_volumes.sh [VOLUMES_DIR]        (default: volumes)
# Environment:
#   VOLUMES_TOKEN   a token that may push to the volumes' repositories (a fine-grained token with
#                   "Contents: Read and write" on them); needed for an https remote
#   VOLUMES_REMOTE  their URL, {name} standing for a volume's name
#                   [default: https://github.com/$GITHUB_REPOSITORY_OWNER/{name}.git]
#   VOLUMES_BRANCH  the branch their Pages sites publish [default: gh-pages]
set -euo pipefail

dir=${1:-volumes}
branch=${VOLUMES_BRANCH:-gh-pages}
github="https://github.com/${GITHUB_REPOSITORY_OWNER:-}/{name}.git"
remote=${VOLUMES_REMOTE:-$github}
source_commit=${GITHUB_SHA:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}

volumes=()
if [ -d "$dir" ]; then
  for path in "$dir"/*/; do
    [ -d "$path" ] && volumes+=("$(basename "$path")")
  done
fi
if [ "${#volumes[@]}" -eq 0 ]; then
  echo "volumes: none to push (archive.yml names no deploy.volumes)"
  exit 0
fi

auth=()
case "$remote" in
  https://*)
    if [ -z "${VOLUMES_TOKEN:-}" ]; then
      echo "::error title=No token for the volumes::the repository secret VOLUMES_TOKEN is not set: the ${#volumes[@]} volume(s) cannot be pushed (docs/running.md, \"When the archive outgrows one Pages site\")"
      exit 1
    fi
    # As actions/checkout does: the token in a header, never in a URL that git could print.
    basic=$(printf 'x-access-token:%s' "$VOLUMES_TOKEN" | base64 | tr -d '\n')
    echo "::add-mask::$basic"
    auth=(-c "http.extraheader=AUTHORIZATION: basic $basic")
    ;;
esac

for name in "${volumes[@]}"; do
  if ! [[ "$name" =~ ^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$ ]]; then  # archive.yml's rule, kept here too
    echo "error: $dir/$name: not a repository name" >&2
    exit 1
  fi
  placeholder="{name}"
  url=${remote//"$placeholder"/$name}
  git_dir=$(mktemp -d)
  export GIT_DIR="$git_dir" GIT_WORK_TREE="$dir/$name"
  git init --quiet --initial-branch="$branch"
  git config user.name "github-actions[bot]"
  git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
  git config gc.auto 0  # no garbage collection in the background of a repository about to be deleted
  git config maintenance.auto false
  git remote add origin "$url"
  if git "${auth[@]}" fetch --quiet --depth=1 --filter=blob:none origin "$branch" 2>/dev/null; then
    previous=$(git rev-parse --short FETCH_HEAD)
  else
    previous=""  # a repository without the branch yet: everything is sent
  fi
  git add --all
  files=$(git ls-files | wc -l | tr -d ' ')
  git commit --quiet -m "Volume $name: $files files, from ${GITHUB_REPOSITORY:-the archive}@$source_commit"
  git "${auth[@]}" push --quiet --force origin "HEAD:refs/heads/$branch"
  echo "volumes: pushed $name ($files files) to $branch${previous:+, replacing $previous}"
  unset GIT_DIR GIT_WORK_TREE
  rm -rf "$git_dir"
done
