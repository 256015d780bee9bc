# bash completion for hainfra. Commands and options are read from hainfra's own help (`hainfra --help`,
# `hainfra COMMAND --help`), so the completion always matches the installed binary.
_hainfra() {
  local cur prev cmd words
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  cmd=${COMP_WORDS[1]}
  if [ "$COMP_CWORD" -eq 1 ]; then
    words=$("${COMP_WORDS[0]}" --help 2>/dev/null | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p')
    COMPREPLY=($(compgen -W "$words --help --version" -- "$cur"))
    return
  fi
  case $prev in
    -f|--file|--out|-o|--junit|--metrics|--report|--log|--plan-file)
      COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
    --split|--state-dir)
      COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
    --format)
      COMPREPLY=($(compgen -W "text json markdown" -- "$cur")); return ;;
  esac
  if [ "${cur#-}" != "$cur" ]; then
    words=$("${COMP_WORDS[0]}" "$cmd" --help 2>/dev/null | grep -o -- '--[a-z][a-z0-9-]*' | sort -u)
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
    return
  fi
  case $cmd in
    apply|validate) COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null ;;
    report) COMPREPLY=($(compgen -W "packages" -- "$cur")) ;;
    help) words=$("${COMP_WORDS[0]}" --help 2>/dev/null | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p')
      COMPREPLY=($(compgen -W "$words" -- "$cur")) ;;
  esac
}
complete -F _hainfra hainfra
