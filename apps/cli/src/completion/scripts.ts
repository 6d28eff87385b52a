/**
 * Completion scripts. Each one is a thin shell function that asks `callwire __complete <words…>` for
 * the candidates, so commands, flags, profile names and account names always match the installed
 * CLI and the stored config; when there is nothing to offer, the shell completes file names.
 */

export type Shell = 'bash' | 'zsh' | 'fish';
export const SHELLS: readonly Shell[] = ['bash', 'zsh', 'fish'];

const BASH = `# callwire completion for bash. Load it with:  source <(callwire completion bash)
_callwire_complete() {
  local line
  COMPREPLY=()
  while IFS= read -r line; do
    # Quoted as the shell needs: "Bayside Realty" and patterns such as call.* stay one literal word.
    COMPREPLY+=("$(printf '%q' "$line")")
  done < <(callwire __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
}
complete -o default -F _callwire_complete callwire
`;

const ZSH = `#compdef callwire
# callwire completion for zsh. Load it with:  source <(callwire completion zsh)
_callwire() {
  local -a candidates
  candidates=("\${(@f)$(callwire __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if [[ \${#candidates} -eq 0 || -z "\${candidates[1]}" ]]; then
    _files
  else
    compadd -a candidates
  fi
}
if (( ! $+functions[compdef] )); then
  autoload -Uz compinit && compinit
fi
compdef _callwire callwire
`;

const FISH = `# callwire completion for fish. Load it with:  callwire completion fish | source
function __callwire_complete
    set -l words (commandline -opc) (commandline -ct)
    set -l candidates (callwire __complete $words[2..-1] 2>/dev/null)
    if test (count $candidates) -eq 0
        __fish_complete_path (commandline -ct)
    else
        printf '%s\\n' $candidates
    end
end
complete -c callwire -f -a '(__callwire_complete)'
`;

export function completionScript(shell: Shell): string {
  return shell === 'bash' ? BASH : shell === 'zsh' ? ZSH : FISH;
}
