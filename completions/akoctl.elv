
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
            cand --no-color 'No colours (also: `NO_COLOR`, or output not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand compile 'Compile Kubernetes manifests into the Avi objects AKO would create'
            cand explain-name 'Tell which Kubernetes object and naming rule produced an Avi object name'
            cand plan 'Diff the compiled objects against an empty or saved state, or a controller (contacted only with --controller)'
            cand pull 'Save what this cluster''s AKO owns on a controller to a state file (contacts the controller)'
            cand apply 'Plan and perform it, or perform a saved plan (contacts the controller)'
            cand dev-controller 'Run an in-memory Avi controller (for trying akoctl and for tests)'
            cand snapshot 'Write what compile would read from a cluster as manifest files'
            cand settings 'Show each of AKO''s settings, its value and where it came from (values file line, --set, ConfigMap, env, AKOConfig, default)'
            cand explain-code 'Explain a diagnostic code (`AKO022`), or list them all'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'akoctl;compile'= {
            cand -f 'Manifest file or folder (YAML or JSON, read recursively), or `-` for stdin. Repeatable'
            cand --filename 'Manifest file or folder (YAML or JSON, read recursively), or `-` for stdin. Repeatable'
            cand -n 'Namespace for objects that have none [default: `default`, or the context''s with a cluster]; with a cluster, also the only one read'
            cand --namespace 'Namespace for objects that have none [default: `default`, or the context''s with a cluster]; with a cluster, also the only one read'
            cand --kubeconfig 'Read the cluster of this kubeconfig file [default: KUBECONFIG, else ~/.kube/config]. With -f, the files are laid over the cluster''s objects (the files win)'
            cand --context 'Kubeconfig context to use [default: its current-context]'
            cand --ako-namespace 'AKO''s namespace in the cluster, where its ConfigMap `avi-k8s-config`, StatefulSet `ako` (or ako-operator `AKOConfig`) and Secret `avi-secret` are read [default: avi-system]'
            cand --values 'AKO''s helm values.yaml (as given to `helm install`)'
            cand --set 'Override a value, helm style: `L7Settings.shardVSSize=SMALL`, `a.b[0].c=x`, `a=1,b=2`. Applied after --values, in order. Repeatable'
            cand --cloud-facts 'What the Avi controller reports to AKO at start-up: YAML with cloudType, dnsSubdomains, defaultLicenseTier, vrf, nsxtTransportZone'
            cand --ako-version 'The AKO release to model: 2.2.x (default), 2.1.x, 1.13.x or 1.12.x. Older releases build fewer fields, read their own chart''s values and (1.12) core/v1 Endpoints'
            cand -o 'Output format [default: table on a terminal, json otherwise]. `table` fits the terminal''s width (sources cut to `+N more`); `wide` shows every source; `name` prints `type/name` lines'
            cand --output 'Output format [default: table on a terminal, json otherwise]. `table` fits the terminal''s width (sources cut to `+N more`); `wide` shows every source; `name` prints `type/name` lines'
            cand --deny 'Report this diagnostic code (`AKO022`, or its name `missing-backend-service`) as an error. Repeatable'
            cand --allow 'Hide this diagnostic code and never fail on it (an error AKO would refuse stays an error). Repeatable'
            cand --config 'Repository settings [default: .akoctl.yaml in this folder or the nearest parent up to the repository root]'
            cand -A 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n'
            cand --all-namespaces 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n'
            cand --show-secrets 'Print TLS private keys in the output. Without it a key is replaced by `<redacted sha256:...>`, the SHA-256 of the key'
            cand --explain-rules 'Show which HostRule / HTTPRule / L4Rule / AviInfraSetting set which object field: under a top-level "rules" key with `-o json`, else on stderr after the diagnostics'
            cand --strict 'Fail (exit 1) on warnings too, not only on errors'
            cand -q 'Print errors only (warnings are counted in one line)'
            cand --quiet 'Print errors only (warnings are counted in one line)'
            cand -v 'Also print notes (infos), which are hidden by default'
            cand --verbose 'Also print notes (infos), which are hidden by default'
            cand --no-color 'No colours (also: `NO_COLOR`, or output not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'akoctl;explain-name'= {
            cand --for 'Instead of a name: list every Avi object this Kubernetes object produces (KIND/NAMESPACE/NAME, e.g. ingress/red/shop, service/red/web)'
            cand -f 'Manifest file or folder (YAML or JSON, read recursively), or `-` for stdin. Repeatable'
            cand --filename 'Manifest file or folder (YAML or JSON, read recursively), or `-` for stdin. Repeatable'
            cand -n 'Namespace for objects that have none [default: `default`, or the context''s with a cluster]; with a cluster, also the only one read'
            cand --namespace 'Namespace for objects that have none [default: `default`, or the context''s with a cluster]; with a cluster, also the only one read'
            cand --kubeconfig 'Read the cluster of this kubeconfig file [default: KUBECONFIG, else ~/.kube/config]. With -f, the files are laid over the cluster''s objects (the files win)'
            cand --context 'Kubeconfig context to use [default: its current-context]'
            cand --ako-namespace 'AKO''s namespace in the cluster, where its ConfigMap `avi-k8s-config`, StatefulSet `ako` (or ako-operator `AKOConfig`) and Secret `avi-secret` are read [default: avi-system]'
            cand --values 'AKO''s helm values.yaml (as given to `helm install`)'
            cand --set 'Override a value, helm style: `L7Settings.shardVSSize=SMALL`, `a.b[0].c=x`, `a=1,b=2`. Applied after --values, in order. Repeatable'
            cand --cloud-facts 'What the Avi controller reports to AKO at start-up: YAML with cloudType, dnsSubdomains, defaultLicenseTier, vrf, nsxtTransportZone'
            cand --ako-version 'The AKO release to model: 2.2.x (default), 2.1.x, 1.13.x or 1.12.x. Older releases build fewer fields, read their own chart''s values and (1.12) core/v1 Endpoints'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -A 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n'
            cand --all-namespaces 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n'
            cand --no-color 'No colours (also: `NO_COLOR`, or output not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'akoctl;plan'= {
            cand -f 'Manifest file or folder, or `-` for stdin. Repeatable. Without -f and --compiled, the cluster of the kubeconfig is read'
            cand --filename 'Manifest file or folder, or `-` for stdin. Repeatable. Without -f and --compiled, the cluster of the kubeconfig is read'
            cand --compiled 'Plan an object set printed by `akoctl compile -o json` instead of compiling manifests'
            cand -n 'Namespace for objects that have none [default: `default`, or the context''s with a cluster]; with a cluster, also the only one read'
            cand --namespace 'Namespace for objects that have none [default: `default`, or the context''s with a cluster]; with a cluster, also the only one read'
            cand --kubeconfig 'Read the cluster of this kubeconfig file [default: KUBECONFIG, else ~/.kube/config]. With -f, the files are laid over the cluster''s objects (the files win)'
            cand --context 'Kubeconfig context to use [default: its current-context]'
            cand --ako-namespace 'AKO''s namespace in the cluster, where its ConfigMap `avi-k8s-config`, StatefulSet `ako` (or ako-operator `AKOConfig`) and Secret `avi-secret` are read [default: avi-system]'
            cand --values 'AKO''s helm values.yaml'
            cand --set 'Override a value, helm style: `--set L7Settings.shardVSSize=SMALL`'
            cand --cloud-facts 'Controller facts (cloudType, dnsSubdomains, defaultLicenseTier, vrf). Ignored with `--controller`, which reads them'
            cand --state 'Current state from a file: `akoctl compile -o json` output or an `akoctl pull` snapshot. Without `--state` and `--controller` the state is empty and every object is a create'
            cand --controller 'Avi controller URL or host (`https://10.0.0.5`, `ctl.example:9443`)'
            cand --username 'Controller user'
            cand --password-file 'Read the password from this file (first line). Otherwise `AVI_PASSWORD`, then `AVI_AUTH_TOKEN` (token login)'
            cand --ca-cert 'Trust this CA certificate (PEM) for the controller''s TLS certificate'
            cand --api-version '`X-Avi-Version` to send (default: the controller''s, at most 30.2.1)'
            cand --concurrency 'List requests (pages of all collections) in flight at once'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --out 'Save the plan (with fingerprints of inputs, settings and state) for `akoctl apply PLANFILE`. Secrets are stored as digests only'
            cand --ako-version 'The AKO release to model: 2.2.x (default), 2.1.x, 1.13.x or 1.12.x. Said on stderr and recorded in the JSON plan and the plan file'
            cand --deny 'Report this diagnostic code (`AKO022`, or its name `missing-backend-service`) as an error. Repeatable'
            cand --allow 'Hide this diagnostic code and never fail on it (an error AKO would refuse stays an error). Repeatable'
            cand --config 'Repository settings [default: .akoctl.yaml in this folder or the nearest parent up to the repository root]'
            cand -A 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n'
            cand --all-namespaces 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n'
            cand --insecure 'Do not verify the controller''s TLS certificate (as AKO without `certificateAuthorityData`). Prints a warning'
            cand -v 'Log every controller request on stderr (method, path, status, time, retries); `-vv` adds the bodies. Passwords, tokens and private keys are redacted'
            cand --verbose 'Log every controller request on stderr (method, path, status, time, retries); `-vv` adds the bodies. Passwords, tokens and private keys are redacted'
            cand --controller-from-cluster 'Take the controller from the cluster, as AKO does: its address from the ConfigMap `avi-k8s-config` (`controllerIP`), the user, password or auth token and CA from the Secret `avi-secret`, both in AKO''s namespace (--ako-namespace). The credentials are never printed'
            cand --detailed-exitcode 'Exit 2 when there are changes, 0 when there are none (1 on errors)'
            cand --strict 'Fail (exit 1) on warnings too, not only on errors'
            cand -q 'Print errors only (warnings are counted in one line)'
            cand --quiet 'Print errors only (warnings are counted in one line)'
            cand --no-color 'No colours (also: `NO_COLOR`, or output not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'akoctl;pull'= {
            cand --values 'AKO''s helm values.yaml (cluster name, cloud, tenant, VRF settings)'
            cand --set 'Override a value, helm style'
            cand --controller 'Avi controller URL or host (`https://10.0.0.5`, `ctl.example:9443`)'
            cand --username 'Controller user'
            cand --password-file 'Read the password from this file (first line). Otherwise `AVI_PASSWORD`, then `AVI_AUTH_TOKEN` (token login)'
            cand --ca-cert 'Trust this CA certificate (PEM) for the controller''s TLS certificate'
            cand --api-version '`X-Avi-Version` to send (default: the controller''s, at most 30.2.1)'
            cand --concurrency 'List requests (pages of all collections) in flight at once'
            cand -o 'Where to write the state (`-` for stdout)'
            cand --output 'Where to write the state (`-` for stdout)'
            cand --insecure 'Do not verify the controller''s TLS certificate (as AKO without `certificateAuthorityData`). Prints a warning'
            cand -v 'Log every controller request on stderr (method, path, status, time, retries); `-vv` adds the bodies. Passwords, tokens and private keys are redacted'
            cand --verbose 'Log every controller request on stderr (method, path, status, time, retries); `-vv` adds the bodies. Passwords, tokens and private keys are redacted'
            cand --controller-from-cluster 'Take the controller from the cluster, as AKO does: its address from the ConfigMap `avi-k8s-config` (`controllerIP`), the user, password or auth token and CA from the Secret `avi-secret`, both in AKO''s namespace (--ako-namespace). The credentials are never printed'
            cand --no-color 'No colours (also: `NO_COLOR`, or output not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'akoctl;apply'= {
            cand -f 'Manifest file or folder, or `-` for stdin. Repeatable. Without -f, the cluster of the kubeconfig is read'
            cand --filename 'Manifest file or folder, or `-` for stdin. Repeatable. Without -f, the cluster of the kubeconfig is read'
            cand -n 'Namespace for objects that have none [default: `default`, or the context''s with a cluster]; with a cluster, also the only one read'
            cand --namespace 'Namespace for objects that have none [default: `default`, or the context''s with a cluster]; with a cluster, also the only one read'
            cand --kubeconfig 'Read the cluster of this kubeconfig file [default: KUBECONFIG, else ~/.kube/config]. With -f, the files are laid over the cluster''s objects (the files win)'
            cand --context 'Kubeconfig context to use [default: its current-context]'
            cand --ako-namespace 'AKO''s namespace in the cluster, where its ConfigMap `avi-k8s-config`, StatefulSet `ako` (or ako-operator `AKOConfig`) and Secret `avi-secret` are read [default: avi-system]'
            cand --values 'AKO''s helm values.yaml'
            cand --set 'Override a value, helm style'
            cand --cloud-facts 'Accepted for symmetry with `akoctl plan` (a plan file made with it records it); the cloud facts are read from the controller'
            cand --controller 'Avi controller URL or host (`https://10.0.0.5`, `ctl.example:9443`)'
            cand --username 'Controller user'
            cand --password-file 'Read the password from this file (first line). Otherwise `AVI_PASSWORD`, then `AVI_AUTH_TOKEN` (token login)'
            cand --ca-cert 'Trust this CA certificate (PEM) for the controller''s TLS certificate'
            cand --api-version '`X-Avi-Version` to send (default: the controller''s, at most 30.2.1)'
            cand --concurrency 'List requests (pages of all collections) in flight at once'
            cand --parallelism 'Writes in flight at once (independent objects only)'
            cand --ako-version 'The AKO release to model: 2.2.x (default), 2.1.x, 1.13.x or 1.12.x; with a PLANFILE, the one it records unless given'
            cand -A 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n'
            cand --all-namespaces 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n'
            cand --insecure 'Do not verify the controller''s TLS certificate (as AKO without `certificateAuthorityData`). Prints a warning'
            cand -v 'Log every controller request on stderr (method, path, status, time, retries); `-vv` adds the bodies. Passwords, tokens and private keys are redacted'
            cand --verbose 'Log every controller request on stderr (method, path, status, time, retries); `-vv` adds the bodies. Passwords, tokens and private keys are redacted'
            cand --controller-from-cluster 'Take the controller from the cluster, as AKO does: its address from the ConfigMap `avi-k8s-config` (`controllerIP`), the user, password or auth token and CA from the Secret `avi-secret`, both in AKO''s namespace (--ako-namespace). The credentials are never printed'
            cand --auto-approve 'Do not ask for confirmation'
            cand --no-color 'No colours (also: `NO_COLOR`, or output not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'akoctl;dev-controller'= {
            cand --listen 'Address to listen on (port 0: any free port)'
            cand --data 'Load the objects from this JSON file (when it exists) and save them there after every change'
            cand --user 'The user that may log in'
            cand --password 'The user''s password. Prefer AVI_PASSWORD or --password-file'
            cand --password-file 'Read the password from this file (first line)'
            cand --cert-out 'Write the generated certificate (PEM) here, for `--ca-cert`'
            cand --controller-version 'The controller version reported (and the newest `X-Avi-Version` accepted) [default: 22.1.3, or the release that introduced the newest field the objects of the -f inputs carry]'
            cand --network 'Networks to create at start (the VIP and node networks the values name). Repeatable'
            cand --tenant 'Tenants to create besides `admin`. Repeatable'
            cand --values 'AKO''s helm values.yaml: start with what AKO needs on a controller for them: the cloud (ControllerSettings.cloudName), the SE group (serviceEngineGroupName), the tenant (tenantName), the VIP and node networks (NetworkSettings) and the VRF context'
            cand --cloud-facts 'The cloud''s type, DNS sub-domains (an IPAM/DNS profile on the cloud holds them), license tier and VRF (the cloud-facts file of `akoctl compile`)'
            cand -f 'Manifests (file or folder, repeatable): also create the tenants their Namespaces name (annotation ako.vmware.com/tenant-name) and the networks and SE groups their AviInfraSettings name'
            cand --filename 'Manifests (file or folder, repeatable): also create the tenants their Namespaces name (annotation ako.vmware.com/tenant-name) and the networks and SE groups their AviInfraSettings name'
            cand --latency-ms 'Delay every answer (benchmarks)'
            cand --error-rate 'Answer this share of API requests with 503 (0.0–1.0)'
            cand --expire-every 'Expire every session after this many API requests'
            cand --fault 'A scripted fault on the N-th API request: `N:drop`, `N:drop-after` (after the write took effect), `N:status=503`, `N:status-after=500`, `N:delay=MS`, `N:expire`. Repeatable'
            cand --tls 'Serve HTTPS with a generated self-signed certificate'
            cand --no-color 'No colours (also: `NO_COLOR`, or output not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'akoctl;snapshot'= {
            cand --kubeconfig 'Read the cluster of this kubeconfig file [default: KUBECONFIG, else ~/.kube/config]. With -f, the files are laid over the cluster''s objects (the files win)'
            cand --context 'Kubeconfig context to use [default: its current-context]'
            cand --ako-namespace 'AKO''s namespace in the cluster, where its ConfigMap `avi-k8s-config`, StatefulSet `ako` (or ako-operator `AKOConfig`) and Secret `avi-secret` are read [default: avi-system]'
            cand -n 'Only this namespace (for namespaced kinds) [default: all namespaces]'
            cand --namespace 'Only this namespace (for namespaced kinds) [default: all namespaces]'
            cand -o 'Folder to write, one YAML file per kind; created if missing, must be empty'
            cand --output 'Folder to write, one YAML file per kind; created if missing, must be empty'
            cand --values 'AKO''s helm values.yaml [default: AKO''s settings in the cluster]: decides what is read (Pods for NodePortLocal, AKO''s namespace for the default certificate) and is written to DIR/values.yaml'
            cand --set 'Override a value, helm style: `--set L7Settings.serviceType=NodePortLocal`'
            cand --cloud-facts 'The cloud facts the live compile uses (cloudType, dnsSubdomains, defaultLicenseTier, vrf), written resolved to DIR/cloud-facts.yaml [default: AKO''s defaults]'
            cand --ako-version 'The AKO release [default: the tag of AKO''s image in the cluster, else 2.2]'
            cand -A 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n'
            cand --all-namespaces 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n'
            cand --no-color 'No colours (also: `NO_COLOR`, or output not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'akoctl;settings'= {
            cand --kubeconfig 'Read the cluster of this kubeconfig file [default: KUBECONFIG, else ~/.kube/config]. With -f, the files are laid over the cluster''s objects (the files win)'
            cand --context 'Kubeconfig context to use [default: its current-context]'
            cand --ako-namespace 'AKO''s namespace in the cluster, where its ConfigMap `avi-k8s-config`, StatefulSet `ako` (or ako-operator `AKOConfig`) and Secret `avi-secret` are read [default: avi-system]'
            cand --values 'AKO''s helm values.yaml; without it, the settings are read from the cluster'
            cand --set 'Override a value, helm style: `L7Settings.shardVSSize=SMALL`. Repeatable'
            cand --cloud-facts 'What the Avi controller reports to AKO at start-up (cloudType, dnsSubdomains, defaultLicenseTier, vrf)'
            cand --ako-version 'The AKO release whose chart is read: 2.2.x (default), 2.1.x, 1.13.x or 1.12.x'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -A 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n'
            cand --all-namespaces 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n'
            cand --changed 'Only the settings whose value differs from the chart''s default'
            cand --no-color 'No colours (also: `NO_COLOR`, or output not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'akoctl;explain-code'= {
            cand --no-color 'No colours (also: `NO_COLOR`, or output not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'akoctl;completions'= {
            cand --no-color 'No colours (also: `NO_COLOR`, or output not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'akoctl;help'= {
            cand compile 'Compile Kubernetes manifests into the Avi objects AKO would create'
            cand explain-name 'Tell which Kubernetes object and naming rule produced an Avi object name'
            cand plan 'Diff the compiled objects against an empty or saved state, or a controller (contacted only with --controller)'
            cand pull 'Save what this cluster''s AKO owns on a controller to a state file (contacts the controller)'
            cand apply 'Plan and perform it, or perform a saved plan (contacts the controller)'
            cand dev-controller 'Run an in-memory Avi controller (for trying akoctl and for tests)'
            cand snapshot 'Write what compile would read from a cluster as manifest files'
            cand settings 'Show each of AKO''s settings, its value and where it came from (values file line, --set, ConfigMap, env, AKOConfig, default)'
            cand explain-code 'Explain a diagnostic code (`AKO022`), or list them all'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'akoctl;help;compile'= {
        }
        &'akoctl;help;explain-name'= {
        }
        &'akoctl;help;plan'= {
        }
        &'akoctl;help;pull'= {
        }
        &'akoctl;help;apply'= {
        }
        &'akoctl;help;dev-controller'= {
        }
        &'akoctl;help;snapshot'= {
        }
        &'akoctl;help;settings'= {
        }
        &'akoctl;help;explain-code'= {
        }
        &'akoctl;help;completions'= {
        }
        &'akoctl;help;help'= {
        }
    ]
    $completions[$command]
}
