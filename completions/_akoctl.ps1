
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'akoctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'akoctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'akoctl' {
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also: `NO_COLOR`, or output not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('compile', 'compile', [CompletionResultType]::ParameterValue, 'Compile Kubernetes manifests into the Avi objects AKO would create')
            [CompletionResult]::new('explain-name', 'explain-name', [CompletionResultType]::ParameterValue, 'Tell which Kubernetes object and naming rule produced an Avi object name')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Diff the compiled objects against an empty or saved state, or a controller (contacted only with --controller)')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Save what this cluster''s AKO owns on a controller to a state file (contacts the controller)')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Plan and perform it, or perform a saved plan (contacts the controller)')
            [CompletionResult]::new('dev-controller', 'dev-controller', [CompletionResultType]::ParameterValue, 'Run an in-memory Avi controller (for trying akoctl and for tests)')
            [CompletionResult]::new('snapshot', 'snapshot', [CompletionResultType]::ParameterValue, 'Write what compile would read from a cluster as manifest files')
            [CompletionResult]::new('settings', 'settings', [CompletionResultType]::ParameterValue, 'Show each of AKO''s settings, its value and where it came from (values file line, --set, ConfigMap, env, AKOConfig, default)')
            [CompletionResult]::new('explain-code', 'explain-code', [CompletionResultType]::ParameterValue, 'Explain a diagnostic code (`AKO022`), or list them all')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'akoctl;compile' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Manifest file or folder (YAML or JSON, read recursively), or `-` for stdin. Repeatable')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Manifest file or folder (YAML or JSON, read recursively), or `-` for stdin. Repeatable')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace for objects that have none [default: `default`, or the context''s with a cluster]; with a cluster, also the only one read')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace for objects that have none [default: `default`, or the context''s with a cluster]; with a cluster, also the only one read')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Read the cluster of this kubeconfig file [default: KUBECONFIG, else ~/.kube/config]. With -f, the files are laid over the cluster''s objects (the files win)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: its current-context]')
            [CompletionResult]::new('--ako-namespace', '--ako-namespace', [CompletionResultType]::ParameterName, 'AKO''s namespace in the cluster, where its ConfigMap `avi-k8s-config`, StatefulSet `ako` (or ako-operator `AKOConfig`) and Secret `avi-secret` are read [default: avi-system]')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'AKO''s helm values.yaml (as given to `helm install`)')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Override a value, helm style: `L7Settings.shardVSSize=SMALL`, `a.b[0].c=x`, `a=1,b=2`. Applied after --values, in order. Repeatable')
            [CompletionResult]::new('--cloud-facts', '--cloud-facts', [CompletionResultType]::ParameterName, 'What the Avi controller reports to AKO at start-up: YAML with cloudType, dnsSubdomains, defaultLicenseTier, vrf, nsxtTransportZone')
            [CompletionResult]::new('--ako-version', '--ako-version', [CompletionResultType]::ParameterName, 'The AKO release to model: 2.2.x (default), 2.1.x, 1.13.x or 1.12.x. Older releases build fewer fields, read their own chart''s values and (1.12) core/v1 Endpoints')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]. `table` fits the terminal''s width (sources cut to `+N more`); `wide` shows every source; `name` prints `type/name` lines')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]. `table` fits the terminal''s width (sources cut to `+N more`); `wide` shows every source; `name` prints `type/name` lines')
            [CompletionResult]::new('--deny', '--deny', [CompletionResultType]::ParameterName, 'Report this diagnostic code (`AKO022`, or its name `missing-backend-service`) as an error. Repeatable')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Hide this diagnostic code and never fail on it (an error AKO would refuse stays an error). Repeatable')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Repository settings [default: .akoctl.yaml in this folder or the nearest parent up to the repository root]')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Print TLS private keys in the output. Without it a key is replaced by `<redacted sha256:...>`, the SHA-256 of the key')
            [CompletionResult]::new('--explain-rules', '--explain-rules', [CompletionResultType]::ParameterName, 'Show which HostRule / HTTPRule / L4Rule / AviInfraSetting set which object field: under a top-level "rules" key with `-o json`, else on stderr after the diagnostics')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Fail (exit 1) on warnings too, not only on errors')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only (warnings are counted in one line)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only (warnings are counted in one line)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print notes (infos), which are hidden by default')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print notes (infos), which are hidden by default')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also: `NO_COLOR`, or output not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'akoctl;explain-name' {
            [CompletionResult]::new('--for', '--for', [CompletionResultType]::ParameterName, 'Instead of a name: list every Avi object this Kubernetes object produces (KIND/NAMESPACE/NAME, e.g. ingress/red/shop, service/red/web)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Manifest file or folder (YAML or JSON, read recursively), or `-` for stdin. Repeatable')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Manifest file or folder (YAML or JSON, read recursively), or `-` for stdin. Repeatable')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace for objects that have none [default: `default`, or the context''s with a cluster]; with a cluster, also the only one read')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace for objects that have none [default: `default`, or the context''s with a cluster]; with a cluster, also the only one read')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Read the cluster of this kubeconfig file [default: KUBECONFIG, else ~/.kube/config]. With -f, the files are laid over the cluster''s objects (the files win)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: its current-context]')
            [CompletionResult]::new('--ako-namespace', '--ako-namespace', [CompletionResultType]::ParameterName, 'AKO''s namespace in the cluster, where its ConfigMap `avi-k8s-config`, StatefulSet `ako` (or ako-operator `AKOConfig`) and Secret `avi-secret` are read [default: avi-system]')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'AKO''s helm values.yaml (as given to `helm install`)')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Override a value, helm style: `L7Settings.shardVSSize=SMALL`, `a.b[0].c=x`, `a=1,b=2`. Applied after --values, in order. Repeatable')
            [CompletionResult]::new('--cloud-facts', '--cloud-facts', [CompletionResultType]::ParameterName, 'What the Avi controller reports to AKO at start-up: YAML with cloudType, dnsSubdomains, defaultLicenseTier, vrf, nsxtTransportZone')
            [CompletionResult]::new('--ako-version', '--ako-version', [CompletionResultType]::ParameterName, 'The AKO release to model: 2.2.x (default), 2.1.x, 1.13.x or 1.12.x. Older releases build fewer fields, read their own chart''s values and (1.12) core/v1 Endpoints')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also: `NO_COLOR`, or output not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'akoctl;plan' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Manifest file or folder, or `-` for stdin. Repeatable. Without -f and --compiled, the cluster of the kubeconfig is read')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Manifest file or folder, or `-` for stdin. Repeatable. Without -f and --compiled, the cluster of the kubeconfig is read')
            [CompletionResult]::new('--compiled', '--compiled', [CompletionResultType]::ParameterName, 'Plan an object set printed by `akoctl compile -o json` instead of compiling manifests')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace for objects that have none [default: `default`, or the context''s with a cluster]; with a cluster, also the only one read')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace for objects that have none [default: `default`, or the context''s with a cluster]; with a cluster, also the only one read')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Read the cluster of this kubeconfig file [default: KUBECONFIG, else ~/.kube/config]. With -f, the files are laid over the cluster''s objects (the files win)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: its current-context]')
            [CompletionResult]::new('--ako-namespace', '--ako-namespace', [CompletionResultType]::ParameterName, 'AKO''s namespace in the cluster, where its ConfigMap `avi-k8s-config`, StatefulSet `ako` (or ako-operator `AKOConfig`) and Secret `avi-secret` are read [default: avi-system]')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'AKO''s helm values.yaml')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Override a value, helm style: `--set L7Settings.shardVSSize=SMALL`')
            [CompletionResult]::new('--cloud-facts', '--cloud-facts', [CompletionResultType]::ParameterName, 'Controller facts (cloudType, dnsSubdomains, defaultLicenseTier, vrf). Ignored with `--controller`, which reads them')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Current state from a file: `akoctl compile -o json` output or an `akoctl pull` snapshot. Without `--state` and `--controller` the state is empty and every object is a create')
            [CompletionResult]::new('--controller', '--controller', [CompletionResultType]::ParameterName, 'Avi controller URL or host (`https://10.0.0.5`, `ctl.example:9443`)')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Controller user')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from this file (first line). Otherwise `AVI_PASSWORD`, then `AVI_AUTH_TOKEN` (token login)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust this CA certificate (PEM) for the controller''s TLS certificate')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, '`X-Avi-Version` to send (default: the controller''s, at most 30.2.1)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'List requests (pages of all collections) in flight at once')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Save the plan (with fingerprints of inputs, settings and state) for `akoctl apply PLANFILE`. Secrets are stored as digests only')
            [CompletionResult]::new('--ako-version', '--ako-version', [CompletionResultType]::ParameterName, 'The AKO release to model: 2.2.x (default), 2.1.x, 1.13.x or 1.12.x. Said on stderr and recorded in the JSON plan and the plan file')
            [CompletionResult]::new('--deny', '--deny', [CompletionResultType]::ParameterName, 'Report this diagnostic code (`AKO022`, or its name `missing-backend-service`) as an error. Repeatable')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Hide this diagnostic code and never fail on it (an error AKO would refuse stays an error). Repeatable')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Repository settings [default: .akoctl.yaml in this folder or the nearest parent up to the repository root]')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the controller''s TLS certificate (as AKO without `certificateAuthorityData`). Prints a warning')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log every controller request on stderr (method, path, status, time, retries); `-vv` adds the bodies. Passwords, tokens and private keys are redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log every controller request on stderr (method, path, status, time, retries); `-vv` adds the bodies. Passwords, tokens and private keys are redacted')
            [CompletionResult]::new('--controller-from-cluster', '--controller-from-cluster', [CompletionResultType]::ParameterName, 'Take the controller from the cluster, as AKO does: its address from the ConfigMap `avi-k8s-config` (`controllerIP`), the user, password or auth token and CA from the Secret `avi-secret`, both in AKO''s namespace (--ako-namespace). The credentials are never printed')
            [CompletionResult]::new('--detailed-exitcode', '--detailed-exitcode', [CompletionResultType]::ParameterName, 'Exit 2 when there are changes, 0 when there are none (1 on errors)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Fail (exit 1) on warnings too, not only on errors')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only (warnings are counted in one line)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only (warnings are counted in one line)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also: `NO_COLOR`, or output not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'akoctl;pull' {
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'AKO''s helm values.yaml (cluster name, cloud, tenant, VRF settings)')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Override a value, helm style')
            [CompletionResult]::new('--controller', '--controller', [CompletionResultType]::ParameterName, 'Avi controller URL or host (`https://10.0.0.5`, `ctl.example:9443`)')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Controller user')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from this file (first line). Otherwise `AVI_PASSWORD`, then `AVI_AUTH_TOKEN` (token login)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust this CA certificate (PEM) for the controller''s TLS certificate')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, '`X-Avi-Version` to send (default: the controller''s, at most 30.2.1)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'List requests (pages of all collections) in flight at once')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to write the state (`-` for stdout)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Where to write the state (`-` for stdout)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the controller''s TLS certificate (as AKO without `certificateAuthorityData`). Prints a warning')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log every controller request on stderr (method, path, status, time, retries); `-vv` adds the bodies. Passwords, tokens and private keys are redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log every controller request on stderr (method, path, status, time, retries); `-vv` adds the bodies. Passwords, tokens and private keys are redacted')
            [CompletionResult]::new('--controller-from-cluster', '--controller-from-cluster', [CompletionResultType]::ParameterName, 'Take the controller from the cluster, as AKO does: its address from the ConfigMap `avi-k8s-config` (`controllerIP`), the user, password or auth token and CA from the Secret `avi-secret`, both in AKO''s namespace (--ako-namespace). The credentials are never printed')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also: `NO_COLOR`, or output not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'akoctl;apply' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Manifest file or folder, or `-` for stdin. Repeatable. Without -f, the cluster of the kubeconfig is read')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Manifest file or folder, or `-` for stdin. Repeatable. Without -f, the cluster of the kubeconfig is read')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace for objects that have none [default: `default`, or the context''s with a cluster]; with a cluster, also the only one read')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace for objects that have none [default: `default`, or the context''s with a cluster]; with a cluster, also the only one read')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Read the cluster of this kubeconfig file [default: KUBECONFIG, else ~/.kube/config]. With -f, the files are laid over the cluster''s objects (the files win)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: its current-context]')
            [CompletionResult]::new('--ako-namespace', '--ako-namespace', [CompletionResultType]::ParameterName, 'AKO''s namespace in the cluster, where its ConfigMap `avi-k8s-config`, StatefulSet `ako` (or ako-operator `AKOConfig`) and Secret `avi-secret` are read [default: avi-system]')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'AKO''s helm values.yaml')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Override a value, helm style')
            [CompletionResult]::new('--cloud-facts', '--cloud-facts', [CompletionResultType]::ParameterName, 'Accepted for symmetry with `akoctl plan` (a plan file made with it records it); the cloud facts are read from the controller')
            [CompletionResult]::new('--controller', '--controller', [CompletionResultType]::ParameterName, 'Avi controller URL or host (`https://10.0.0.5`, `ctl.example:9443`)')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Controller user')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from this file (first line). Otherwise `AVI_PASSWORD`, then `AVI_AUTH_TOKEN` (token login)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust this CA certificate (PEM) for the controller''s TLS certificate')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, '`X-Avi-Version` to send (default: the controller''s, at most 30.2.1)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'List requests (pages of all collections) in flight at once')
            [CompletionResult]::new('--parallelism', '--parallelism', [CompletionResultType]::ParameterName, 'Writes in flight at once (independent objects only)')
            [CompletionResult]::new('--ako-version', '--ako-version', [CompletionResultType]::ParameterName, 'The AKO release to model: 2.2.x (default), 2.1.x, 1.13.x or 1.12.x; with a PLANFILE, the one it records unless given')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the controller''s TLS certificate (as AKO without `certificateAuthorityData`). Prints a warning')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log every controller request on stderr (method, path, status, time, retries); `-vv` adds the bodies. Passwords, tokens and private keys are redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log every controller request on stderr (method, path, status, time, retries); `-vv` adds the bodies. Passwords, tokens and private keys are redacted')
            [CompletionResult]::new('--controller-from-cluster', '--controller-from-cluster', [CompletionResultType]::ParameterName, 'Take the controller from the cluster, as AKO does: its address from the ConfigMap `avi-k8s-config` (`controllerIP`), the user, password or auth token and CA from the Secret `avi-secret`, both in AKO''s namespace (--ako-namespace). The credentials are never printed')
            [CompletionResult]::new('--auto-approve', '--auto-approve', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also: `NO_COLOR`, or output not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'akoctl;dev-controller' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on (port 0: any free port)')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'Load the objects from this JSON file (when it exists) and save them there after every change')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user that may log in')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'The user''s password. Prefer AVI_PASSWORD or --password-file')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from this file (first line)')
            [CompletionResult]::new('--cert-out', '--cert-out', [CompletionResultType]::ParameterName, 'Write the generated certificate (PEM) here, for `--ca-cert`')
            [CompletionResult]::new('--controller-version', '--controller-version', [CompletionResultType]::ParameterName, 'The controller version reported (and the newest `X-Avi-Version` accepted) [default: 22.1.3, or the release that introduced the newest field the objects of the -f inputs carry]')
            [CompletionResult]::new('--network', '--network', [CompletionResultType]::ParameterName, 'Networks to create at start (the VIP and node networks the values name). Repeatable')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenants to create besides `admin`. Repeatable')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'AKO''s helm values.yaml: start with what AKO needs on a controller for them: the cloud (ControllerSettings.cloudName), the SE group (serviceEngineGroupName), the tenant (tenantName), the VIP and node networks (NetworkSettings) and the VRF context')
            [CompletionResult]::new('--cloud-facts', '--cloud-facts', [CompletionResultType]::ParameterName, 'The cloud''s type, DNS sub-domains (an IPAM/DNS profile on the cloud holds them), license tier and VRF (the cloud-facts file of `akoctl compile`)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Manifests (file or folder, repeatable): also create the tenants their Namespaces name (annotation ako.vmware.com/tenant-name) and the networks and SE groups their AviInfraSettings name')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Manifests (file or folder, repeatable): also create the tenants their Namespaces name (annotation ako.vmware.com/tenant-name) and the networks and SE groups their AviInfraSettings name')
            [CompletionResult]::new('--latency-ms', '--latency-ms', [CompletionResultType]::ParameterName, 'Delay every answer (benchmarks)')
            [CompletionResult]::new('--error-rate', '--error-rate', [CompletionResultType]::ParameterName, 'Answer this share of API requests with 503 (0.0–1.0)')
            [CompletionResult]::new('--expire-every', '--expire-every', [CompletionResultType]::ParameterName, 'Expire every session after this many API requests')
            [CompletionResult]::new('--fault', '--fault', [CompletionResultType]::ParameterName, 'A scripted fault on the N-th API request: `N:drop`, `N:drop-after` (after the write took effect), `N:status=503`, `N:status-after=500`, `N:delay=MS`, `N:expire`. Repeatable')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Serve HTTPS with a generated self-signed certificate')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also: `NO_COLOR`, or output not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'akoctl;snapshot' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Read the cluster of this kubeconfig file [default: KUBECONFIG, else ~/.kube/config]. With -f, the files are laid over the cluster''s objects (the files win)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: its current-context]')
            [CompletionResult]::new('--ako-namespace', '--ako-namespace', [CompletionResultType]::ParameterName, 'AKO''s namespace in the cluster, where its ConfigMap `avi-k8s-config`, StatefulSet `ako` (or ako-operator `AKOConfig`) and Secret `avi-secret` are read [default: avi-system]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Only this namespace (for namespaced kinds) [default: all namespaces]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Only this namespace (for namespaced kinds) [default: all namespaces]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Folder to write, one YAML file per kind; created if missing, must be empty')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Folder to write, one YAML file per kind; created if missing, must be empty')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'AKO''s helm values.yaml [default: AKO''s settings in the cluster]: decides what is read (Pods for NodePortLocal, AKO''s namespace for the default certificate) and is written to DIR/values.yaml')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Override a value, helm style: `--set L7Settings.serviceType=NodePortLocal`')
            [CompletionResult]::new('--cloud-facts', '--cloud-facts', [CompletionResultType]::ParameterName, 'The cloud facts the live compile uses (cloudType, dnsSubdomains, defaultLicenseTier, vrf), written resolved to DIR/cloud-facts.yaml [default: AKO''s defaults]')
            [CompletionResult]::new('--ako-version', '--ako-version', [CompletionResultType]::ParameterName, 'The AKO release [default: the tag of AKO''s image in the cluster, else 2.2]')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also: `NO_COLOR`, or output not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'akoctl;settings' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Read the cluster of this kubeconfig file [default: KUBECONFIG, else ~/.kube/config]. With -f, the files are laid over the cluster''s objects (the files win)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: its current-context]')
            [CompletionResult]::new('--ako-namespace', '--ako-namespace', [CompletionResultType]::ParameterName, 'AKO''s namespace in the cluster, where its ConfigMap `avi-k8s-config`, StatefulSet `ako` (or ako-operator `AKOConfig`) and Secret `avi-secret` are read [default: avi-system]')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'AKO''s helm values.yaml; without it, the settings are read from the cluster')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Override a value, helm style: `L7Settings.shardVSSize=SMALL`. Repeatable')
            [CompletionResult]::new('--cloud-facts', '--cloud-facts', [CompletionResultType]::ParameterName, 'What the Avi controller reports to AKO at start-up (cloudType, dnsSubdomains, defaultLicenseTier, vrf)')
            [CompletionResult]::new('--ako-version', '--ako-version', [CompletionResultType]::ParameterName, 'The AKO release whose chart is read: 2.2.x (default), 2.1.x, 1.13.x or 1.12.x')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Read every namespace of the cluster, even with -n (which then only names the namespace of -f objects without one). Reading every namespace is already the default without -n')
            [CompletionResult]::new('--changed', '--changed', [CompletionResultType]::ParameterName, 'Only the settings whose value differs from the chart''s default')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also: `NO_COLOR`, or output not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'akoctl;explain-code' {
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also: `NO_COLOR`, or output not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'akoctl;completions' {
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours (also: `NO_COLOR`, or output not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'akoctl;help' {
            [CompletionResult]::new('compile', 'compile', [CompletionResultType]::ParameterValue, 'Compile Kubernetes manifests into the Avi objects AKO would create')
            [CompletionResult]::new('explain-name', 'explain-name', [CompletionResultType]::ParameterValue, 'Tell which Kubernetes object and naming rule produced an Avi object name')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Diff the compiled objects against an empty or saved state, or a controller (contacted only with --controller)')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Save what this cluster''s AKO owns on a controller to a state file (contacts the controller)')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Plan and perform it, or perform a saved plan (contacts the controller)')
            [CompletionResult]::new('dev-controller', 'dev-controller', [CompletionResultType]::ParameterValue, 'Run an in-memory Avi controller (for trying akoctl and for tests)')
            [CompletionResult]::new('snapshot', 'snapshot', [CompletionResultType]::ParameterValue, 'Write what compile would read from a cluster as manifest files')
            [CompletionResult]::new('settings', 'settings', [CompletionResultType]::ParameterValue, 'Show each of AKO''s settings, its value and where it came from (values file line, --set, ConfigMap, env, AKOConfig, default)')
            [CompletionResult]::new('explain-code', 'explain-code', [CompletionResultType]::ParameterValue, 'Explain a diagnostic code (`AKO022`), or list them all')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'akoctl;help;compile' {
            break
        }
        'akoctl;help;explain-name' {
            break
        }
        'akoctl;help;plan' {
            break
        }
        'akoctl;help;pull' {
            break
        }
        'akoctl;help;apply' {
            break
        }
        'akoctl;help;dev-controller' {
            break
        }
        'akoctl;help;snapshot' {
            break
        }
        'akoctl;help;settings' {
            break
        }
        'akoctl;help;explain-code' {
            break
        }
        'akoctl;help;completions' {
            break
        }
        'akoctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
