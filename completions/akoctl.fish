# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_akoctl_global_optspecs
    string join \n no-color h/help V/version
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

complete -c akoctl -n "__fish_akoctl_needs_command" -l no-color -d 'No colours (also: `NO_COLOR`, or output not a terminal)'
complete -c akoctl -n "__fish_akoctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c akoctl -n "__fish_akoctl_needs_command" -s V -l version -d 'Print version'
complete -c akoctl -n "__fish_akoctl_needs_command" -f -a "compile" -d 'Compile Kubernetes manifests into the Avi objects AKO would create'
complete -c akoctl -n "__fish_akoctl_needs_command" -f -a "explain-name" -d 'Tell which Kubernetes object and naming rule produced an Avi object name'
complete -c akoctl -n "__fish_akoctl_needs_command" -f -a "plan" -d 'Diff the compiled objects against an empty or saved state, or a controller (contacted only with --controller)'
complete -c akoctl -n "__fish_akoctl_needs_command" -f -a "pull" -d 'Save what this cluster\'s AKO owns on a controller to a state file (contacts the controller)'
complete -c akoctl -n "__fish_akoctl_needs_command" -f -a "apply" -d 'Plan and perform it, or perform a saved plan (contacts the controller)'
complete -c akoctl -n "__fish_akoctl_needs_command" -f -a "dev-controller" -d 'Run an in-memory Avi controller (for trying akoctl and for tests)'
complete -c akoctl -n "__fish_akoctl_needs_command" -f -a "snapshot" -d 'Write what compile would read from a cluster as manifest files'
complete -c akoctl -n "__fish_akoctl_needs_command" -f -a "settings" -d 'Show each of AKO\'s settings, its value and where it came from (values file line, --set, ConfigMap, env, AKOConfig, default)'
complete -c akoctl -n "__fish_akoctl_needs_command" -f -a "explain-code" -d 'Explain a diagnostic code (`AKO022`), or list them all'
complete -c akoctl -n "__fish_akoctl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c akoctl -n "__fish_akoctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -s f -l filename -d 'Manifest file or folder (YAML or JSON, read recursively), or `-` for stdin. Repeatable' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -s n -l namespace -d 'Namespace for objects that have none [default: `default`, or the context\'s with a cluster]; with a cluster, also the only one read' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -l kubeconfig -d 'Read the cluster of this kubeconfig file [default: KUBECONFIG, else ~/.kube/config]. With -f, the files are laid over the cluster\'s objects (the files win)' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -l context -d 'Kubeconfig context to use [default: its current-context]' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -l ako-namespace -d 'AKO\'s namespace in the cluster, where its ConfigMap `avi-k8s-config`, StatefulSet `ako` (or ako-operator `AKOConfig`) and Secret `avi-secret` are read [default: avi-system]' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -l values -d 'AKO\'s helm values.yaml (as given to `helm install`)' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -l set -d 'Override a value, helm style: `L7Settings.shardVSSize=SMALL`, `a.b[0].c=x`, `a=1,b=2`. Applied after --values, in order. Repeatable' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -l cloud-facts -d 'What the Avi controller reports to AKO at start-up: YAML with cloudType, dnsSubdomains, defaultLicenseTier, vrf, nsxtTransportZone' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -l ako-version -d 'The AKO release to model: 2.2.x (default), 2.1.x, 1.13.x or 1.12.x. Older releases build fewer fields, read their own chart\'s values and (1.12) core/v1 Endpoints' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]. `table` fits the terminal\'s width (sources cut to `+N more`); `wide` shows every source; `name` prints `type/name` lines' -r -f -a "json\t''
yaml\t''
table\t'type, name, tenant, sources; fitted to the terminal\'s width'
wide\t'The table with every source, whatever the width'
name\t'One `type/name` per line (kubectl\'s `-o name`)'"
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -l deny -d 'Report this diagnostic code (`AKO022`, or its name `missing-backend-service`) as an error. Repeatable' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -l allow -d 'Hide this diagnostic code and never fail on it (an error AKO would refuse stays an error). Repeatable' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -l config -d 'Repository settings [default: .akoctl.yaml in this folder or the nearest parent up to the repository root]' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -s A -l all-namespaces -d 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n'
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -l show-secrets -d 'Print TLS private keys in the output. Without it a key is replaced by `<redacted sha256:...>`, the SHA-256 of the key'
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -l explain-rules -d 'Show which HostRule / HTTPRule / L4Rule / AviInfraSetting set which object field: under a top-level "rules" key with `-o json`, else on stderr after the diagnostics'
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -l strict -d 'Fail (exit 1) on warnings too, not only on errors'
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -s q -l quiet -d 'Print errors only (warnings are counted in one line)'
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -s v -l verbose -d 'Also print notes (infos), which are hidden by default'
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -l no-color -d 'No colours (also: `NO_COLOR`, or output not a terminal)'
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c akoctl -n "__fish_akoctl_using_subcommand compile" -s V -l version -d 'Print version'
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-name" -l for -d 'Instead of a name: list every Avi object this Kubernetes object produces (KIND/NAMESPACE/NAME, e.g. ingress/red/shop, service/red/web)' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-name" -s f -l filename -d 'Manifest file or folder (YAML or JSON, read recursively), or `-` for stdin. Repeatable' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-name" -s n -l namespace -d 'Namespace for objects that have none [default: `default`, or the context\'s with a cluster]; with a cluster, also the only one read' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-name" -l kubeconfig -d 'Read the cluster of this kubeconfig file [default: KUBECONFIG, else ~/.kube/config]. With -f, the files are laid over the cluster\'s objects (the files win)' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-name" -l context -d 'Kubeconfig context to use [default: its current-context]' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-name" -l ako-namespace -d 'AKO\'s namespace in the cluster, where its ConfigMap `avi-k8s-config`, StatefulSet `ako` (or ako-operator `AKOConfig`) and Secret `avi-secret` are read [default: avi-system]' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-name" -l values -d 'AKO\'s helm values.yaml (as given to `helm install`)' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-name" -l set -d 'Override a value, helm style: `L7Settings.shardVSSize=SMALL`, `a.b[0].c=x`, `a=1,b=2`. Applied after --values, in order. Repeatable' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-name" -l cloud-facts -d 'What the Avi controller reports to AKO at start-up: YAML with cloudType, dnsSubdomains, defaultLicenseTier, vrf, nsxtTransportZone' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-name" -l ako-version -d 'The AKO release to model: 2.2.x (default), 2.1.x, 1.13.x or 1.12.x. Older releases build fewer fields, read their own chart\'s values and (1.12) core/v1 Endpoints' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-name" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-name" -s A -l all-namespaces -d 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n'
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-name" -l no-color -d 'No colours (also: `NO_COLOR`, or output not a terminal)'
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-name" -s h -l help -d 'Print help'
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-name" -s V -l version -d 'Print version'
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -s f -l filename -d 'Manifest file or folder, or `-` for stdin. Repeatable. Without -f and --compiled, the cluster of the kubeconfig is read' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -l compiled -d 'Plan an object set printed by `akoctl compile -o json` instead of compiling manifests' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -s n -l namespace -d 'Namespace for objects that have none [default: `default`, or the context\'s with a cluster]; with a cluster, also the only one read' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -l kubeconfig -d 'Read the cluster of this kubeconfig file [default: KUBECONFIG, else ~/.kube/config]. With -f, the files are laid over the cluster\'s objects (the files win)' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -l context -d 'Kubeconfig context to use [default: its current-context]' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -l ako-namespace -d 'AKO\'s namespace in the cluster, where its ConfigMap `avi-k8s-config`, StatefulSet `ako` (or ako-operator `AKOConfig`) and Secret `avi-secret` are read [default: avi-system]' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -l values -d 'AKO\'s helm values.yaml' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -l set -d 'Override a value, helm style: `--set L7Settings.shardVSSize=SMALL`' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -l cloud-facts -d 'Controller facts (cloudType, dnsSubdomains, defaultLicenseTier, vrf). Ignored with `--controller`, which reads them' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -l state -d 'Current state from a file: `akoctl compile -o json` output or an `akoctl pull` snapshot. Without `--state` and `--controller` the state is empty and every object is a create' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -l controller -d 'Avi controller URL or host (`https://10.0.0.5`, `ctl.example:9443`)' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -l username -d 'Controller user' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -l password-file -d 'Read the password from this file (first line). Otherwise `AVI_PASSWORD`, then `AVI_AUTH_TOKEN` (token login)' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -l ca-cert -d 'Trust this CA certificate (PEM) for the controller\'s TLS certificate' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -l api-version -d '`X-Avi-Version` to send (default: the controller\'s, at most 30.2.1)' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -l concurrency -d 'List requests (pages of all collections) in flight at once' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -s o -l output -d 'Output format' -r -f -a "text\t'terraform-style text'
json\t'Machine-readable JSON'
markdown\t'Markdown for a pull-request comment: a summary line and a collapsible section per object'"
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -l out -d 'Save the plan (with fingerprints of inputs, settings and state) for `akoctl apply PLANFILE`. Secrets are stored as digests only' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -l ako-version -d 'The AKO release to model: 2.2.x (default), 2.1.x, 1.13.x or 1.12.x. Said on stderr and recorded in the JSON plan and the plan file' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -l deny -d 'Report this diagnostic code (`AKO022`, or its name `missing-backend-service`) as an error. Repeatable' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -l allow -d 'Hide this diagnostic code and never fail on it (an error AKO would refuse stays an error). Repeatable' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -l config -d 'Repository settings [default: .akoctl.yaml in this folder or the nearest parent up to the repository root]' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -s A -l all-namespaces -d 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n'
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -l insecure -d 'Do not verify the controller\'s TLS certificate (as AKO without `certificateAuthorityData`). Prints a warning'
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -s v -l verbose -d 'Log every controller request on stderr (method, path, status, time, retries); `-vv` adds the bodies. Passwords, tokens and private keys are redacted'
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -l controller-from-cluster -d 'Take the controller from the cluster, as AKO does: its address from the ConfigMap `avi-k8s-config` (`controllerIP`), the user, password or auth token and CA from the Secret `avi-secret`, both in AKO\'s namespace (--ako-namespace). The credentials are never printed'
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -l detailed-exitcode -d 'Exit 2 when there are changes, 0 when there are none (1 on errors)'
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -l strict -d 'Fail (exit 1) on warnings too, not only on errors'
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -s q -l quiet -d 'Print errors only (warnings are counted in one line)'
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -l no-color -d 'No colours (also: `NO_COLOR`, or output not a terminal)'
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c akoctl -n "__fish_akoctl_using_subcommand plan" -s V -l version -d 'Print version'
complete -c akoctl -n "__fish_akoctl_using_subcommand pull" -l values -d 'AKO\'s helm values.yaml (cluster name, cloud, tenant, VRF settings)' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand pull" -l set -d 'Override a value, helm style' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand pull" -l controller -d 'Avi controller URL or host (`https://10.0.0.5`, `ctl.example:9443`)' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand pull" -l username -d 'Controller user' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand pull" -l password-file -d 'Read the password from this file (first line). Otherwise `AVI_PASSWORD`, then `AVI_AUTH_TOKEN` (token login)' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand pull" -l ca-cert -d 'Trust this CA certificate (PEM) for the controller\'s TLS certificate' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand pull" -l api-version -d '`X-Avi-Version` to send (default: the controller\'s, at most 30.2.1)' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand pull" -l concurrency -d 'List requests (pages of all collections) in flight at once' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand pull" -s o -l output -d 'Where to write the state (`-` for stdout)' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand pull" -l insecure -d 'Do not verify the controller\'s TLS certificate (as AKO without `certificateAuthorityData`). Prints a warning'
complete -c akoctl -n "__fish_akoctl_using_subcommand pull" -s v -l verbose -d 'Log every controller request on stderr (method, path, status, time, retries); `-vv` adds the bodies. Passwords, tokens and private keys are redacted'
complete -c akoctl -n "__fish_akoctl_using_subcommand pull" -l controller-from-cluster -d 'Take the controller from the cluster, as AKO does: its address from the ConfigMap `avi-k8s-config` (`controllerIP`), the user, password or auth token and CA from the Secret `avi-secret`, both in AKO\'s namespace (--ako-namespace). The credentials are never printed'
complete -c akoctl -n "__fish_akoctl_using_subcommand pull" -l no-color -d 'No colours (also: `NO_COLOR`, or output not a terminal)'
complete -c akoctl -n "__fish_akoctl_using_subcommand pull" -s h -l help -d 'Print help'
complete -c akoctl -n "__fish_akoctl_using_subcommand pull" -s V -l version -d 'Print version'
complete -c akoctl -n "__fish_akoctl_using_subcommand apply" -s f -l filename -d 'Manifest file or folder, or `-` for stdin. Repeatable. Without -f, the cluster of the kubeconfig is read' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand apply" -s n -l namespace -d 'Namespace for objects that have none [default: `default`, or the context\'s with a cluster]; with a cluster, also the only one read' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand apply" -l kubeconfig -d 'Read the cluster of this kubeconfig file [default: KUBECONFIG, else ~/.kube/config]. With -f, the files are laid over the cluster\'s objects (the files win)' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand apply" -l context -d 'Kubeconfig context to use [default: its current-context]' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand apply" -l ako-namespace -d 'AKO\'s namespace in the cluster, where its ConfigMap `avi-k8s-config`, StatefulSet `ako` (or ako-operator `AKOConfig`) and Secret `avi-secret` are read [default: avi-system]' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand apply" -l values -d 'AKO\'s helm values.yaml' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand apply" -l set -d 'Override a value, helm style' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand apply" -l cloud-facts -d 'Accepted for symmetry with `akoctl plan` (a plan file made with it records it); the cloud facts are read from the controller' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand apply" -l controller -d 'Avi controller URL or host (`https://10.0.0.5`, `ctl.example:9443`)' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand apply" -l username -d 'Controller user' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand apply" -l password-file -d 'Read the password from this file (first line). Otherwise `AVI_PASSWORD`, then `AVI_AUTH_TOKEN` (token login)' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand apply" -l ca-cert -d 'Trust this CA certificate (PEM) for the controller\'s TLS certificate' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand apply" -l api-version -d '`X-Avi-Version` to send (default: the controller\'s, at most 30.2.1)' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand apply" -l concurrency -d 'List requests (pages of all collections) in flight at once' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand apply" -l parallelism -d 'Writes in flight at once (independent objects only)' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand apply" -l ako-version -d 'The AKO release to model: 2.2.x (default), 2.1.x, 1.13.x or 1.12.x; with a PLANFILE, the one it records unless given' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand apply" -s A -l all-namespaces -d 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n'
complete -c akoctl -n "__fish_akoctl_using_subcommand apply" -l insecure -d 'Do not verify the controller\'s TLS certificate (as AKO without `certificateAuthorityData`). Prints a warning'
complete -c akoctl -n "__fish_akoctl_using_subcommand apply" -s v -l verbose -d 'Log every controller request on stderr (method, path, status, time, retries); `-vv` adds the bodies. Passwords, tokens and private keys are redacted'
complete -c akoctl -n "__fish_akoctl_using_subcommand apply" -l controller-from-cluster -d 'Take the controller from the cluster, as AKO does: its address from the ConfigMap `avi-k8s-config` (`controllerIP`), the user, password or auth token and CA from the Secret `avi-secret`, both in AKO\'s namespace (--ako-namespace). The credentials are never printed'
complete -c akoctl -n "__fish_akoctl_using_subcommand apply" -l auto-approve -d 'Do not ask for confirmation'
complete -c akoctl -n "__fish_akoctl_using_subcommand apply" -l no-color -d 'No colours (also: `NO_COLOR`, or output not a terminal)'
complete -c akoctl -n "__fish_akoctl_using_subcommand apply" -s h -l help -d 'Print help'
complete -c akoctl -n "__fish_akoctl_using_subcommand apply" -s V -l version -d 'Print version'
complete -c akoctl -n "__fish_akoctl_using_subcommand dev-controller" -l listen -d 'Address to listen on (port 0: any free port)' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand dev-controller" -l data -d 'Load the objects from this JSON file (when it exists) and save them there after every change' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand dev-controller" -l user -d 'The user that may log in' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand dev-controller" -l password -d 'The user\'s password. Prefer AVI_PASSWORD or --password-file' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand dev-controller" -l password-file -d 'Read the password from this file (first line)' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand dev-controller" -l cert-out -d 'Write the generated certificate (PEM) here, for `--ca-cert`' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand dev-controller" -l controller-version -d 'The controller version reported (and the newest `X-Avi-Version` accepted) [default: 22.1.3, or the release that introduced the newest field the objects of the -f inputs carry]' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand dev-controller" -l network -d 'Networks to create at start (the VIP and node networks the values name). Repeatable' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand dev-controller" -l tenant -d 'Tenants to create besides `admin`. Repeatable' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand dev-controller" -l values -d 'AKO\'s helm values.yaml: start with what AKO needs on a controller for them: the cloud (ControllerSettings.cloudName), the SE group (serviceEngineGroupName), the tenant (tenantName), the VIP and node networks (NetworkSettings) and the VRF context' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand dev-controller" -l cloud-facts -d 'The cloud\'s type, DNS sub-domains (an IPAM/DNS profile on the cloud holds them), license tier and VRF (the cloud-facts file of `akoctl compile`)' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand dev-controller" -s f -l filename -d 'Manifests (file or folder, repeatable): also create the tenants their Namespaces name (annotation ako.vmware.com/tenant-name) and the networks and SE groups their AviInfraSettings name' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand dev-controller" -l latency-ms -d 'Delay every answer (benchmarks)' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand dev-controller" -l error-rate -d 'Answer this share of API requests with 503 (0.0–1.0)' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand dev-controller" -l expire-every -d 'Expire every session after this many API requests' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand dev-controller" -l fault -d 'A scripted fault on the N-th API request: `N:drop`, `N:drop-after` (after the write took effect), `N:status=503`, `N:status-after=500`, `N:delay=MS`, `N:expire`. Repeatable' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand dev-controller" -l tls -d 'Serve HTTPS with a generated self-signed certificate'
complete -c akoctl -n "__fish_akoctl_using_subcommand dev-controller" -l no-color -d 'No colours (also: `NO_COLOR`, or output not a terminal)'
complete -c akoctl -n "__fish_akoctl_using_subcommand dev-controller" -s h -l help -d 'Print help'
complete -c akoctl -n "__fish_akoctl_using_subcommand dev-controller" -s V -l version -d 'Print version'
complete -c akoctl -n "__fish_akoctl_using_subcommand snapshot" -l kubeconfig -d 'Read the cluster of this kubeconfig file [default: KUBECONFIG, else ~/.kube/config]. With -f, the files are laid over the cluster\'s objects (the files win)' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand snapshot" -l context -d 'Kubeconfig context to use [default: its current-context]' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand snapshot" -l ako-namespace -d 'AKO\'s namespace in the cluster, where its ConfigMap `avi-k8s-config`, StatefulSet `ako` (or ako-operator `AKOConfig`) and Secret `avi-secret` are read [default: avi-system]' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand snapshot" -s n -l namespace -d 'Only this namespace (for namespaced kinds) [default: all namespaces]' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand snapshot" -s o -l output -d 'Folder to write, one YAML file per kind; created if missing, must be empty' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand snapshot" -l values -d 'AKO\'s helm values.yaml [default: AKO\'s settings in the cluster]: decides what is read (Pods for NodePortLocal, AKO\'s namespace for the default certificate) and is written to DIR/values.yaml' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand snapshot" -l set -d 'Override a value, helm style: `--set L7Settings.serviceType=NodePortLocal`' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand snapshot" -l cloud-facts -d 'The cloud facts the live compile uses (cloudType, dnsSubdomains, defaultLicenseTier, vrf), written resolved to DIR/cloud-facts.yaml [default: AKO\'s defaults]' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand snapshot" -l ako-version -d 'The AKO release [default: the tag of AKO\'s image in the cluster, else 2.2]' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand snapshot" -s A -l all-namespaces -d 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n'
complete -c akoctl -n "__fish_akoctl_using_subcommand snapshot" -l no-color -d 'No colours (also: `NO_COLOR`, or output not a terminal)'
complete -c akoctl -n "__fish_akoctl_using_subcommand snapshot" -s h -l help -d 'Print help'
complete -c akoctl -n "__fish_akoctl_using_subcommand snapshot" -s V -l version -d 'Print version'
complete -c akoctl -n "__fish_akoctl_using_subcommand settings" -l kubeconfig -d 'Read the cluster of this kubeconfig file [default: KUBECONFIG, else ~/.kube/config]. With -f, the files are laid over the cluster\'s objects (the files win)' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand settings" -l context -d 'Kubeconfig context to use [default: its current-context]' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand settings" -l ako-namespace -d 'AKO\'s namespace in the cluster, where its ConfigMap `avi-k8s-config`, StatefulSet `ako` (or ako-operator `AKOConfig`) and Secret `avi-secret` are read [default: avi-system]' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand settings" -l values -d 'AKO\'s helm values.yaml; without it, the settings are read from the cluster' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand settings" -l set -d 'Override a value, helm style: `L7Settings.shardVSSize=SMALL`. Repeatable' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand settings" -l cloud-facts -d 'What the Avi controller reports to AKO at start-up (cloudType, dnsSubdomains, defaultLicenseTier, vrf)' -r -F
complete -c akoctl -n "__fish_akoctl_using_subcommand settings" -l ako-version -d 'The AKO release whose chart is read: 2.2.x (default), 2.1.x, 1.13.x or 1.12.x' -r
complete -c akoctl -n "__fish_akoctl_using_subcommand settings" -s o -l output -d 'Output format' -r -f -a "table\t'SETTING, VALUE, ORIGIN columns'
json\t'`{"format_version": "1", "settings": [{setting, value, origin, changed}]}`'"
complete -c akoctl -n "__fish_akoctl_using_subcommand settings" -s A -l all-namespaces -d 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n'
complete -c akoctl -n "__fish_akoctl_using_subcommand settings" -l changed -d 'Only the settings whose value differs from the chart\'s default'
complete -c akoctl -n "__fish_akoctl_using_subcommand settings" -l no-color -d 'No colours (also: `NO_COLOR`, or output not a terminal)'
complete -c akoctl -n "__fish_akoctl_using_subcommand settings" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c akoctl -n "__fish_akoctl_using_subcommand settings" -s V -l version -d 'Print version'
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-code" -l no-color -d 'No colours (also: `NO_COLOR`, or output not a terminal)'
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-code" -s h -l help -d 'Print help'
complete -c akoctl -n "__fish_akoctl_using_subcommand explain-code" -s V -l version -d 'Print version'
complete -c akoctl -n "__fish_akoctl_using_subcommand completions" -l no-color -d 'No colours (also: `NO_COLOR`, or output not a terminal)'
complete -c akoctl -n "__fish_akoctl_using_subcommand completions" -s h -l help -d 'Print help'
complete -c akoctl -n "__fish_akoctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c akoctl -n "__fish_akoctl_using_subcommand help; and not __fish_seen_subcommand_from compile explain-name plan pull apply dev-controller snapshot settings explain-code completions help" -f -a "compile" -d 'Compile Kubernetes manifests into the Avi objects AKO would create'
complete -c akoctl -n "__fish_akoctl_using_subcommand help; and not __fish_seen_subcommand_from compile explain-name plan pull apply dev-controller snapshot settings explain-code completions help" -f -a "explain-name" -d 'Tell which Kubernetes object and naming rule produced an Avi object name'
complete -c akoctl -n "__fish_akoctl_using_subcommand help; and not __fish_seen_subcommand_from compile explain-name plan pull apply dev-controller snapshot settings explain-code completions help" -f -a "plan" -d 'Diff the compiled objects against an empty or saved state, or a controller (contacted only with --controller)'
complete -c akoctl -n "__fish_akoctl_using_subcommand help; and not __fish_seen_subcommand_from compile explain-name plan pull apply dev-controller snapshot settings explain-code completions help" -f -a "pull" -d 'Save what this cluster\'s AKO owns on a controller to a state file (contacts the controller)'
complete -c akoctl -n "__fish_akoctl_using_subcommand help; and not __fish_seen_subcommand_from compile explain-name plan pull apply dev-controller snapshot settings explain-code completions help" -f -a "apply" -d 'Plan and perform it, or perform a saved plan (contacts the controller)'
complete -c akoctl -n "__fish_akoctl_using_subcommand help; and not __fish_seen_subcommand_from compile explain-name plan pull apply dev-controller snapshot settings explain-code completions help" -f -a "dev-controller" -d 'Run an in-memory Avi controller (for trying akoctl and for tests)'
complete -c akoctl -n "__fish_akoctl_using_subcommand help; and not __fish_seen_subcommand_from compile explain-name plan pull apply dev-controller snapshot settings explain-code completions help" -f -a "snapshot" -d 'Write what compile would read from a cluster as manifest files'
complete -c akoctl -n "__fish_akoctl_using_subcommand help; and not __fish_seen_subcommand_from compile explain-name plan pull apply dev-controller snapshot settings explain-code completions help" -f -a "settings" -d 'Show each of AKO\'s settings, its value and where it came from (values file line, --set, ConfigMap, env, AKOConfig, default)'
complete -c akoctl -n "__fish_akoctl_using_subcommand help; and not __fish_seen_subcommand_from compile explain-name plan pull apply dev-controller snapshot settings explain-code completions help" -f -a "explain-code" -d 'Explain a diagnostic code (`AKO022`), or list them all'
complete -c akoctl -n "__fish_akoctl_using_subcommand help; and not __fish_seen_subcommand_from compile explain-name plan pull apply dev-controller snapshot settings explain-code completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c akoctl -n "__fish_akoctl_using_subcommand help; and not __fish_seen_subcommand_from compile explain-name plan pull apply dev-controller snapshot settings explain-code completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
