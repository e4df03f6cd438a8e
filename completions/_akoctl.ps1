
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
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('compile', 'compile', [CompletionResultType]::ParameterValue, 'Compile Kubernetes manifests into the Avi objects AKO would create')
            [CompletionResult]::new('explain-name', 'explain-name', [CompletionResultType]::ParameterValue, 'Tell which Kubernetes object and naming rule produced an Avi object name')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'akoctl;compile' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Manifest file or folder (YAML or JSON, read recursively), or `-` for stdin. Repeatable')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Manifest file or folder (YAML or JSON, read recursively), or `-` for stdin. Repeatable')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace for namespaced objects that have none')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace for namespaced objects that have none')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'AKO''s helm values.yaml (as given to `helm install`)')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Override a value, helm style: `L7Settings.shardVSSize=SMALL`, `a.b[0].c=x`, `a=1,b=2`. Applied after --values, in order. Repeatable')
            [CompletionResult]::new('--cloud-facts', '--cloud-facts', [CompletionResultType]::ParameterName, 'What the Avi controller reports to AKO at start-up: YAML with cloudType, dnsSubdomains, defaultLicenseTier, vrf')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'akoctl;explain-name' {
            [CompletionResult]::new('--for', '--for', [CompletionResultType]::ParameterName, 'Instead of a name: list every Avi object this Kubernetes object produces (KIND/NAMESPACE/NAME, e.g. ingress/red/shop, service/red/web)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Manifest file or folder (YAML or JSON, read recursively), or `-` for stdin. Repeatable')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Manifest file or folder (YAML or JSON, read recursively), or `-` for stdin. Repeatable')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace for namespaced objects that have none')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace for namespaced objects that have none')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'AKO''s helm values.yaml (as given to `helm install`)')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Override a value, helm style: `L7Settings.shardVSSize=SMALL`, `a.b[0].c=x`, `a=1,b=2`. Applied after --values, in order. Repeatable')
            [CompletionResult]::new('--cloud-facts', '--cloud-facts', [CompletionResultType]::ParameterName, 'What the Avi controller reports to AKO at start-up: YAML with cloudType, dnsSubdomains, defaultLicenseTier, vrf')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'akoctl;completions' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'akoctl;help' {
            [CompletionResult]::new('compile', 'compile', [CompletionResultType]::ParameterValue, 'Compile Kubernetes manifests into the Avi objects AKO would create')
            [CompletionResult]::new('explain-name', 'explain-name', [CompletionResultType]::ParameterValue, 'Tell which Kubernetes object and naming rule produced an Avi object name')
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
