
use builtin;
use str;

set edit:completion:arg-completer[akoctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'akoctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'akoctl'= {
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand compile 'Compile Kubernetes manifests into the Avi objects AKO would create'
            cand explain-name 'Tell which Kubernetes object and naming rule produced an Avi object name'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'akoctl;compile'= {
            cand -f 'Manifest file or folder (YAML or JSON, read recursively), or `-` for stdin. Repeatable'
            cand --filename 'Manifest file or folder (YAML or JSON, read recursively), or `-` for stdin. Repeatable'
            cand -n 'Namespace for namespaced objects that have none'
            cand --namespace 'Namespace for namespaced objects that have none'
            cand --values 'AKO''s helm values.yaml (as given to `helm install`)'
            cand --set 'Override a value, helm style: `L7Settings.shardVSSize=SMALL`, `a.b[0].c=x`, `a=1,b=2`. Applied after --values, in order. Repeatable'
            cand --cloud-facts 'What the Avi controller reports to AKO at start-up: YAML with cloudType, dnsSubdomains, defaultLicenseTier, vrf'
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'akoctl;explain-name'= {
            cand --for 'Instead of a name: list every Avi object this Kubernetes object produces (KIND/NAMESPACE/NAME, e.g. ingress/red/shop, service/red/web)'
            cand -f 'Manifest file or folder (YAML or JSON, read recursively), or `-` for stdin. Repeatable'
            cand --filename 'Manifest file or folder (YAML or JSON, read recursively), or `-` for stdin. Repeatable'
            cand -n 'Namespace for namespaced objects that have none'
            cand --namespace 'Namespace for namespaced objects that have none'
            cand --values 'AKO''s helm values.yaml (as given to `helm install`)'
            cand --set 'Override a value, helm style: `L7Settings.shardVSSize=SMALL`, `a.b[0].c=x`, `a=1,b=2`. Applied after --values, in order. Repeatable'
            cand --cloud-facts 'What the Avi controller reports to AKO at start-up: YAML with cloudType, dnsSubdomains, defaultLicenseTier, vrf'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'akoctl;completions'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'akoctl;help'= {
            cand compile 'Compile Kubernetes manifests into the Avi objects AKO would create'
            cand explain-name 'Tell which Kubernetes object and naming rule produced an Avi object name'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'akoctl;help;compile'= {
        }
        &'akoctl;help;explain-name'= {
        }
        &'akoctl;help;completions'= {
        }
        &'akoctl;help;help'= {
        }
    ]
    $completions[$command]
}
