# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_akoctl_global_optspecs
    string join \n h/help V/version
end

function __fish_akoctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_akoctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_akoctl_using_subcommand
    set -l cmd (__fish_akoctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c akoctl -n "__fish_akoctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c akoctl -n "__fish_akoctl_needs_command" -s V -l version -d 'Print version'
complete -c akoctl -n "__fish_akoctl_needs_command" -f -a "compile" -d 'Compile Kubernetes manifests into the Avi objects AKO would create'
complete -c akoctl -n "__fish_akoctl_needs_command" -f -a "explain-name" -d 'Tell which Kubernetes object and naming rule produced an Avi object name'
complete -c akoctl -n "__fish_akoctl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c akoctl -n "__fish_akoctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -s f -l filename -d 'Manifest file or folder (YAML or JSON, read recursively), or `-` for stdin. Repeatable' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -s n -l namespace -d 'Namespace for namespaced objects that have none' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -l values -d 'AKO\'s helm values.yaml (as given to `helm install`)' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -l set -d 'Override a value, helm style: `L7Settings.shardVSSize=SMALL`, `a.b[0].c=x`, `a=1,b=2`. Applied after --values, in order. Repeatable' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -l cloud-facts -d 'What the Avi controller reports to AKO at start-up: YAML with cloudType, dnsSubdomains, defaultLicenseTier, vrf' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "json\t''
yaml\t''
table\t''"
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -s h -l help -d 'Print help'
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -s V -l version -d 'Print version'
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-name" -l for -d 'Instead of a name: list every Avi object this Kubernetes object produces (KIND/NAMESPACE/NAME, e.g. ingress/red/shop, service/red/web)' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-name" -s f -l filename -d 'Manifest file or folder (YAML or JSON, read recursively), or `-` for stdin. Repeatable' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-name" -s n -l namespace -d 'Namespace for namespaced objects that have none' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-name" -l values -d 'AKO\'s helm values.yaml (as given to `helm install`)' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-name" -l set -d 'Override a value, helm style: `L7Settings.shardVSSize=SMALL`, `a.b[0].c=x`, `a=1,b=2`. Applied after --values, in order. Repeatable' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-name" -l cloud-facts -d 'What the Avi controller reports to AKO at start-up: YAML with cloudType, dnsSubdomains, defaultLicenseTier, vrf' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-name" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-name" -s h -l help -d 'Print help'
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-name" -s V -l version -d 'Print version'
complete -c akoctl -n "__fish_akoctl_using_subcommand completions" -s h -l help -d 'Print help'
complete -c akoctl -n "__fish_akoctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c akoctl -n "__fish_akoctl_using_subcommand help; and not __fish_seen_subcommand_from compile explain-name completions help" -f -a "compile" -d 'Compile Kubernetes manifests into the Avi objects AKO would create'
complete -c akoctl -n "__fish_akoctl_using_subcommand help; and not __fish_seen_subcommand_from compile explain-name completions help" -f -a "explain-name" -d 'Tell which Kubernetes object and naming rule produced an Avi object name'
complete -c akoctl -n "__fish_akoctl_using_subcommand help; and not __fish_seen_subcommand_from compile explain-name completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c akoctl -n "__fish_akoctl_using_subcommand help; and not __fish_seen_subcommand_from compile explain-name completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
