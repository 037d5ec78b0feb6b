#!/usr/bin/env bash
# make docker-check: proves, without a Docker engine, everything about the image that can be proven here.
#   1. Assembles a folder from exactly the build stage's COPY lines (from this checkout's files) and has SwiftPM
#      load the package there: a target folder the COPY lines leave out is named.
#   2. Runs the build stage's build RUN lines (those without apt-get) natively in that folder, same flags, after
#      checking those flags against scripts/lib.sh (swift_release), producing both binaries.
#   3. Checks every file the runtime stage copies from the build stage exists in the build output, every resource
#      bundle built is copied, and every shared library the binaries load (ldd) belongs to a Debian package the
#      runtime stage's apt-get line installs (or what apt pulls in with it) or is one the runtime stage copies.
#   4. Validates both compose files.
# Environment: DOCKERFILE (default ./Dockerfile); DOCKER_CHECK_DIR, the scratch folder (default .build-docker: kept,
# so a second run builds incrementally); DOCKER_CHECK_BUILD=0 skips step 2 and checks the binaries already there.
# This machine is Debian bookworm like both stages: its dpkg database stands for the image's.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

DOCKERFILE="${DOCKERFILE:-$ROOT/Dockerfile}"
DIR="${DOCKER_CHECK_DIR:-$ROOT/.build-docker}"
CONTEXT="$DIR/context"
BUILD="${DOCKER_CHECK_BUILD:-1}"
[ -f "$DOCKERFILE" ] || die "no Dockerfile at $DOCKERFILE"
mkdir -p "$CONTEXT"
fail() { printf 'docker-check FAILED: %s\n' "$*" >&2; exit 1; }
started=$SECONDS

# The Swift image keeps its toolchain under /usr; here it is wherever `swift` lives.
TOOLCHAIN_USR="$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")"

# --- read the Dockerfile: one instruction a line (continuations joined, comments dropped), tagged by stage
instructions() {
    awk '
        /^[[:space:]]*#/ { next }
        /^[[:space:]]*$/ { next }
        {
            line = $0
            if (line ~ /\\[[:space:]]*$/) { sub(/\\[[:space:]]*$/, "", line); buf = buf line " "; next }
            print buf line; buf = ""
        }' "$1"
}

stage_count=0
build_stage="" runtime_stage="" runtime_from=""
build_workdir="/" build_copies=() build_runs=() build_args=()
runtime_copies=() runtime_runs=() # of the last stage: the image
while IFS= read -r line; do
    keyword="${line%%[[:space:]]*}"
    rest="${line#"$keyword"}"; rest="${rest#"${rest%%[![:space:]]*}"}"
    case "${keyword^^}" in
        FROM)
            stage_count=$((stage_count + 1))
            read -r -a words <<<"$rest"
            name="${words[2]:-stage$stage_count}"
            [ "$stage_count" = 1 ] && build_stage="$name"
            runtime_stage="$name" runtime_from="${words[0]}" runtime_copies=() runtime_runs=() ;;
        WORKDIR) [ "$stage_count" = 1 ] && build_workdir="$rest" ;;
        ARG) [ "$stage_count" = 1 ] && build_args+=("$rest") ;;
        COPY) if [ "$stage_count" = 1 ]; then build_copies+=("$rest"); else runtime_copies+=("$rest"); fi ;;
        RUN) if [ "$stage_count" = 1 ]; then build_runs+=("$rest"); else runtime_runs+=("$rest"); fi ;;
    esac
done < <(instructions "$DOCKERFILE")
[ "$stage_count" -ge 2 ] || fail "$DOCKERFILE has $stage_count stage(s); expected a build stage and a runtime stage"
say "Dockerfile $DOCKERFILE: build stage '$build_stage' (WORKDIR $build_workdir), runtime stage '$runtime_stage' FROM $runtime_from"

# Paths of the build stage, as the runtime stage's COPY --from names them, and where they are here.
declare -A ARG_PATHS=()
for arg in "${build_args[@]}"; do
    arg_name="${arg%%=*}" arg_value="${arg#*=}"
    if [ "$arg_name" != "$arg" ] && [ "${arg_value:0:1}" = / ]; then
        ARG_PATHS[$arg_name]="$arg_value"
        export "$arg_name=$DIR/${arg_name,,}"
    fi
done
local_path() { # image path of the build stage -> the file here
    local path=$1 arg
    for arg in "${!ARG_PATHS[@]}"; do
        local image_dir="${ARG_PATHS[$arg]}"
        case "$path" in "$image_dir" | "$image_dir"/*) echo "${!arg}${path#"$image_dir"}"; return ;; esac
    done
    case "$path" in
        "$build_workdir" | "$build_workdir"/*) echo "$CONTEXT${path#"$build_workdir"}" ;;
        /usr/lib/swift/* | /usr/bin/*) echo "$TOOLCHAIN_USR${path#/usr}" ;;
        *) echo "$path" ;;
    esac
}

# --- 1. the build context: exactly what the COPY lines name, from this checkout (tracked and untracked files that
#        .gitignore does not exclude, as the Docker context is the working tree), less what .dockerignore excludes
step1=$SECONDS
IGNORED=()
if [ -f "$ROOT/.dockerignore" ]; then
    while IFS= read -r pattern; do
        pattern="${pattern%%#*}"; pattern="${pattern%"${pattern##*[![:space:]]}"}"
        [ -n "$pattern" ] || continue
        [ "${pattern:0:1}" = '!' ] && fail ".dockerignore: exceptions ('$pattern') are not supported by docker-check"
        pattern="${pattern#/}"; IGNORED+=("${pattern%/}")
    done <"$ROOT/.dockerignore"
fi
docker_ignored() { # docker_ignored PATH: whether .dockerignore leaves PATH (relative to the checkout) out
    local pattern
    for pattern in "${IGNORED[@]}"; do
        # shellcheck disable=SC2053 # the pattern is a glob on purpose
        [[ "$1" == $pattern || "$1" == $pattern/* ]] && return 0
    done
    return 1
}
declare -A WANTED=()   # context-relative destination -> repository-relative source
for copy in "${build_copies[@]}"; do
    read -r -a words <<<"$copy"
    args=()
    for w in "${words[@]}"; do [ "${w:0:2}" = -- ] || args+=("$w"); done
    [ ${#args[@]} -ge 2 ] || fail "cannot read the build stage line: COPY $copy"
    dest="${args[-1]}"
    case "$dest" in
        /*) case "$dest" in "$build_workdir" | "$build_workdir"/*) dest="${dest#"$build_workdir"}" ;;
                *) fail "COPY $copy: destination outside WORKDIR $build_workdir is not supported by docker-check" ;; esac ;;
    esac
    dest="${dest#./}"; dest="${dest#/}"
    for src in "${args[@]:0:${#args[@]}-1}"; do
        src="${src#./}"
        [ -e "$ROOT/$src" ] || fail "COPY $copy: '$src' does not exist in the checkout"
        docker_ignored "$src" && fail "COPY $copy: .dockerignore leaves '$src' out of the build context"
        if [ -d "$ROOT/$src" ]; then
            while IFS= read -r -d '' file; do
                [ -f "$ROOT/$file" ] || continue
                docker_ignored "$file" && continue
                WANTED["${dest:+${dest%/}/}${file#"$src"/}"]="$file"
            done < <(git -C "$ROOT" ls-files -z --cached --others --exclude-standard -- "$src")
        elif [ "${dest: -1}" = / ] || [ -z "$dest" ]; then
            WANTED["${dest}$(basename "$src")"]="$src"
        else
            WANTED["$dest"]="$src"
        fi
    done
done
# Copy what changed (size or modification time differ; cp -p keeps the time), remove what an earlier run copied
# and no COPY line names any more. What the RUN lines made (Package.resolved, .build*) stays, as in an image.
copied=0 removed=0
MANIFEST="$DIR/context.files"
if [ -f "$MANIFEST" ]; then
    while IFS= read -r rel; do
        [ -n "${WANTED[$rel]+x}" ] || { rm -f "$CONTEXT/$rel"; removed=$((removed + 1)); }
    done <"$MANIFEST"
fi
printf '%s\n' "${!WANTED[@]}" | sort >"$MANIFEST"
rels=("${!WANTED[@]}")
mapfile -t src_stats < <(for rel in "${rels[@]}"; do printf '%s\0' "$ROOT/${WANTED[$rel]}"; done | xargs -0 stat -c '%s %Y')
declare -A DST_STAT=()
while IFS= read -r -d '' entry; do
    size="${entry%% *}" entry="${entry#* }"
    DST_STAT["${entry#* }"]="$size ${entry%% *}"
done < <(
    find "$CONTEXT" -mindepth 1 \( -name '.build*' -prune \) -o -type f -printf '%s %T@ %P\0' | sed -z 's/\.[0-9]* / /')
for i in "${!rels[@]}"; do
    rel="${rels[$i]}"
    if [ "${DST_STAT[$rel]:-}" != "${src_stats[$i]}" ]; then
        mkdir -p "$(dirname "$CONTEXT/$rel")"
        cp -p "$ROOT/${WANTED[$rel]}" "$CONTEXT/$rel"
        copied=$((copied + 1))
    fi
done
find "$CONTEXT" -mindepth 1 -maxdepth 1 -type d -not -name '.build*' -exec find {} -depth -type d -empty -delete \;
say "build context $CONTEXT: ${#WANTED[@]} files from ${#build_copies[@]} COPY lines ($copied copied, $removed removed)"
describe_log="$DIR/describe.log"
(cd "$CONTEXT" && swift package describe --type json) >"$describe_log" 2>&1 \
    || fail "SwiftPM cannot load the package from what the build stage copies (add the missing COPY line): $(grep -m1 -i error "$describe_log")"
say "SwiftPM loads the package from the copied files alone ($((SECONDS - step1)) s)"

# --- 2. the build RUN lines, natively, after checking their flags against scripts/lib.sh
words_sorted() { tr ' ' '\n' | grep -v '^$' | sort | tr '\n' ' '; }
normalise_flags() { sed -e "s#$ROOT/##g" -e 's/--scratch-path \.build\( \|$\)/\1/'; }
lib_release_flags() { (swift() { printf '%s\n' "$*"; } && swift_release "$1" --product "$1") | normalise_flags | words_sorted; }
build_commands=()
for run in "${build_runs[@]}"; do
    case "$run" in *apt-get*) continue ;; esac
    build_commands+=("$run")
    while IFS= read -r invocation; do
        product=$(sed -n 's/.*--product \([^ ]*\).*/\1/p' <<<"$invocation")
        [ -n "$product" ] || continue
        image_flags=$(sed 's/^swift //' <<<"$invocation" | normalise_flags | words_sorted)
        lib_flags=$(lib_release_flags "$product")
        [ "$image_flags" = "$lib_flags" ] \
            || fail "the Dockerfile builds $product with 'swift ${image_flags% }', scripts/lib.sh (swift_release) with 'swift ${lib_flags% }'; make them the same"
        say "the Dockerfile builds $product as scripts/lib.sh does: $invocation"
    done < <(sed 's/&&/\n/g; s/;/\n/g' <<<"$run" | grep -o 'swift build[^|]*' | sed 's/[[:space:]]*$//')
done
[ ${#build_commands[@]} -gt 0 ] || fail "the build stage has no build RUN line"
for pkg in $(for run in "${build_runs[@]}"; do sed -n 's/.*apt-get install\(.*\)/\1/p' <<<"$run" | sed 's/&&.*//'; done); do
    [ "${pkg:0:1}" = - ] && continue
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' \
        || fail "the build stage installs $pkg, which is not installed here (make test-deps installs the build packages)"
done
if [ "$BUILD" = 1 ]; then
    step2=$SECONDS
    for arg in "${!ARG_PATHS[@]}"; do rm -rf "${!arg}"; done
    : >"$DIR/build.log"
    for command in "${build_commands[@]}"; do
        say "RUN (in $CONTEXT) $command"
        printf '\n$ %s\n' "$command" >>"$DIR/build.log"
        (cd "$CONTEXT" && sh -c "$command") >>"$DIR/build.log" 2>&1 \
            || { tail -40 "$DIR/build.log" >&2; fail "the build RUN line failed (log: $DIR/build.log): $command"; }
    done
    say "build RUN lines done ($((SECONDS - step2)) s)"
else
    say "DOCKER_CHECK_BUILD=0: checking the binaries of an earlier run, not building"
fi

# --- 3. the runtime stage: its files from the build stage, its packages, and every library the binaries load
step3=$SECONDS
case "$runtime_from" in
    *bookworm*) ;;
    *) fail "the runtime stage is FROM $runtime_from; docker-check maps libraries with this machine's Debian bookworm packages, so it must be a bookworm image" ;;
esac
grep -q 'VERSION_CODENAME=bookworm' /etc/os-release || fail "docker-check needs a Debian bookworm machine (its dpkg database stands for the image's)"
say "runtime base $runtime_from: no package of it is taken as given; every library must come from the apt-get line (with its dependencies) or a COPY"

declare -A IMAGE_FILES=()   # image path -> file here, for everything the runtime stage copies from the build stage
for copy in "${runtime_copies[@]}"; do
    case "$copy" in *--from=${build_stage}\ *) ;; *) continue ;; esac
    read -r -a words <<<"$copy"
    args=()
    for w in "${words[@]}"; do [ "${w:0:2}" = -- ] || args+=("$w"); done
    dest="${args[-1]}"
    for src in "${args[@]:0:${#args[@]}-1}"; do
        here=$(local_path "${src%/}")
        [ -e "$here" ] || fail "the runtime stage copies $src from the build stage, which the build did not produce (looked for $here)"
        if [ "${dest: -1}" = / ]; then image_path="${dest}$(basename "$src")"; else image_path="$dest"; fi
        if [ "${src: -1}" = / ] && [ -d "$here" ]; then
            for f in "$here"/*; do IMAGE_FILES["${dest%/}/$(basename "$f")"]="$f"; done
        else
            IMAGE_FILES["$image_path"]="$here"
        fi
    done
done
say "the runtime stage copies ${#IMAGE_FILES[@]} paths from the build stage, all present: $(printf '%s ' "${!IMAGE_FILES[@]}" | tr ' ' '\n' | sort | tr '\n' ' ')"

# Every resource bundle the build RUN lines' build folders hold is in the image.
for scratch in $(printf '%s\n' "${build_commands[@]}" | grep -o -- '--scratch-path [^ ]*' | awk '{print $2}' | sort -u) .build; do
    for bundle in "$CONTEXT/$scratch"/release/*.resources; do
        [ -d "$bundle" ] || continue
        found=0
        for image_path in "${!IMAGE_FILES[@]}"; do [ "$(basename "$image_path")" = "$(basename "$bundle")" ] && found=1; done
        [ $found = 1 ] || fail "the build makes the resource bundle $(basename "$bundle") ($scratch), which the runtime stage does not copy"
    done
done

# The binaries the image runs: the ELF executables it copies; the compose files and CMD name them.
binaries=()
for image_path in "${!IMAGE_FILES[@]}"; do
    here="${IMAGE_FILES[$image_path]}"
    case "$image_path" in *.so | *.so.*) continue ;; esac
    [ -f "$here" ] && [ "$(head -c 4 "$here" | tr -d '\0')" = $'\x7fELF' ] && binaries+=("$image_path")
done
for named in $(grep -ho '/app/[A-Za-z0-9_.-]*' "$ROOT/docker-compose.yml" "$ROOT/docker-compose.prod.yml" "$DOCKERFILE" | sort -u); do
    [ "$named" = /app/ ] && continue
    [ -n "${IMAGE_FILES[$named]+x}" ] || fail "$named is run by the compose files or CMD but the runtime stage does not copy it"
done
[ ${#binaries[@]} -gt 0 ] || fail "the runtime stage copies no executable from the build stage"

# The packages the runtime stage installs, and everything apt installs with them (Depends and Pre-Depends).
runtime_packages=()
for run in "${runtime_runs[@]}"; do
    tail=$(sed -n 's/.*apt-get install\(.*\)/\1/p' <<<"$run" | sed 's/&&.*//; s/||.*//; s/;.*//')
    for pkg in $tail; do [ "${pkg:0:1}" = - ] || runtime_packages+=("$pkg"); done
done
[ ${#runtime_packages[@]} -gt 0 ] || fail "the runtime stage installs no Debian package"
for pkg in "${runtime_packages[@]}"; do
    apt-cache show "$pkg" >/dev/null 2>&1 || dpkg-query -W "$pkg" >/dev/null 2>&1 \
        || fail "the runtime stage installs $pkg, which Debian bookworm does not know here"
done
declare -A CLOSURE=()
while IFS= read -r pkg; do CLOSURE["${pkg%%:*}"]=1; done < <(
    apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances \
        "${runtime_packages[@]}" 2>/dev/null | grep -v '^[[:space:]]' | grep -v '^<')
for pkg in "${runtime_packages[@]}"; do CLOSURE["$pkg"]=1; done
say "the runtime stage installs ${runtime_packages[*]} (${#CLOSURE[@]} packages with their dependencies)"

# Which installed Debian package holds each library: one dpkg query for all of them. Merged /usr spells a file two
# ways (/lib/x86_64-linux-gnu or /usr/lib/x86_64-linux-gnu), and ldd may print a symlink: ask for every spelling.
declare -A LDD_OUT=() OWNER=()
spellings() { local c; for c in "$1" "$(readlink -f "$1")"; do printf '%s\n' "$c" "${c#/usr}" "/usr$c"; done; }
for image_path in "${binaries[@]}"; do
    LDD_OUT[$image_path]=$(ldd "${IMAGE_FILES[$image_path]}" 2>&1) || fail "ldd ${IMAGE_FILES[$image_path]}: ${LDD_OUT[$image_path]}"
done
mapfile -t queries < <(for image_path in "${binaries[@]}"; do
    awk '/=>/ && $3 ~ /^\// {print $3; next} $1 ~ /^\// {print $1}' <<<"${LDD_OUT[$image_path]}"
done | sort -u | while read -r f; do spellings "$f"; done | sort -u)
while IFS= read -r line; do
    packages="${line%%: /*}" file="/${line#*: /}"
    packages="${packages%%,*}"
    OWNER["$file"]="${packages%%:*}"
done < <(dpkg -S "${queries[@]}" 2>/dev/null | grep -E '^[^ ]+(, [^ ]+)*: /' || true)
owner_package() { # owner_package FILE: the package holding FILE, or nothing
    local c
    while read -r c; do [ -n "${OWNER[$c]:-}" ] && { echo "${OWNER[$c]}"; return 0; }; done < <(spellings "$1")
    return 0
}
declare -A LOADED=()
for image_path in "${binaries[@]}"; do
    ldd_out="${LDD_OUT[$image_path]}"
    missing=$(awk '/not found/ {printf "%s ", $1}' <<<"$ldd_out")
    [ -z "$missing" ] || fail "$image_path needs libraries that are not found even here: $missing"
    count=0 swift_libs=0
    declare -A USED=()
    while read -r name path; do
        count=$((count + 1))
        case "$path" in
            "$TOOLCHAIN_USR"/lib/swift/*)
                image_lib="/usr${path#"$TOOLCHAIN_USR"}"
                LOADED["$image_lib"]=1 swift_libs=$((swift_libs + 1))
                [ -n "${IMAGE_FILES[$image_lib]+x}" ] \
                    || fail "$image_path loads the Swift runtime library $name, which the runtime stage does not copy to $image_lib"
                ;;
            *)
                pkg=$(owner_package "$path")
                [ -n "$pkg" ] || fail "$image_path loads $path, which belongs to no Debian package here"
                USED["$pkg"]=1
                [ -n "${CLOSURE[$pkg]+x}" ] \
                    || fail "$image_path loads $name ($path) from the Debian package $pkg, which the runtime stage does not install (add it to its apt-get install line)"
                ;;
        esac
    done < <(awk '/=>/ && $3 ~ /^\// {print $1, $3; next} $1 ~ /^\// {print $1, $1}' <<<"$ldd_out")
    say "$image_path: all $count shared libraries it loads are in the image ($swift_libs of the Swift runtime copied; the rest from $(printf '%s\n' "${!USED[@]}" | sort | paste -sd " "))"
    unset USED
done
for image_path in "${!IMAGE_FILES[@]}"; do
    case "$image_path" in
        *.so | *.so.*) [ -n "${LOADED[$image_path]+x}" ] || fail "the runtime stage copies $image_path, which no binary loads" ;;
    esac
done
say "runtime stage checked ($((SECONDS - step3)) s)"

# --- 4. the compose files
docker-compose -f "$ROOT/docker-compose.yml" config -q || fail "docker-compose.yml is not valid"
docker-compose -f "$ROOT/docker-compose.yml" -f "$ROOT/docker-compose.prod.yml" config -q \
    || fail "docker-compose.yml with docker-compose.prod.yml is not valid"
say "compose files valid: docker-compose.yml, docker-compose.yml + docker-compose.prod.yml"
say "docker-check passed in $((SECONDS - started)) s"
