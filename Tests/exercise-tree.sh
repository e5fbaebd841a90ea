# Sourced by the checks that edit Exercises/ in place (isolation-check.sh, time-limit-check.sh): copies
# Exercises/ and the learner's exercise status aside and puts both back when the script ends, however it
# ends. `fresh_exercises` lays the untouched copy down again between trials.
backup=$(mktemp -d)
cp -a Exercises "$backup/Exercises"
[ -d .build/exercise-status ] && cp -a .build/exercise-status "$backup/status"
# Copies keep no timestamps (plain cp): the compiler skips a file whose time is older than its last
# build, so a file put back with its old time would keep the broken version compiled.
restore() {
    rm -rf Exercises && cp -r "$backup/Exercises" Exercises
    rm -rf .build/exercise-status
    [ -d "$backup/status" ] && cp -a "$backup/status" .build/exercise-status
    rm -rf "$backup"
}
trap restore EXIT
echo "(Exercises/ is copied to $backup and put back when this ends.)"

fresh_exercises() { rm -rf Exercises && cp -r "$backup/Exercises" Exercises; }
