//! The controller flags ([`ControllerArgs`]), and what to do when the
//! controller cannot be reached or refuses the login:
//! the client classifies the failure ([`ConnectProblem`]); here it becomes a
//! plain headline and a hint naming the flag or variable to change. The
//! password or token itself is never shown, only where it came from.

use std::path::PathBuf;

use clap::Args;
use miette::{Report, miette};

use crate::client::{ClientError, ConnectProblem};

/// How to reach a controller. Credentials come from the environment
/// (`AVI_PASSWORD` or `AVI_AUTH_TOKEN`) or `--password-file`, never from the
/// command line.
#[derive(Args, Debug, Clone)]
pub struct ControllerArgs {
    /// Avi controller URL or host (`https://10.0.0.5`, `ctl.example:9443`).
    #[arg(long, value_name = "URL")]
    pub controller: Option<String>,
    /// Controller user.
    #[arg(long, env = "AVI_USERNAME", default_value = "admin")]
    pub username: String,
    /// Read the password from this file (first line). Otherwise
    /// `AVI_PASSWORD`, then `AVI_AUTH_TOKEN` (token login).
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
    /// Trust this CA certificate (PEM) for the controller's TLS certificate.
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    /// Do not verify the controller's TLS certificate (as AKO without
    /// `certificateAuthorityData`). Prints a warning.
    #[arg(long)]
    pub insecure: bool,
    /// `X-Avi-Version` to send (default: the controller's, at most 30.2.1).
    #[arg(long, env = "AVI_VERSION", value_name = "VERSION")]
    pub api_version: Option<String>,
    /// List requests (pages of all collections) in flight at once.
    #[arg(long, default_value_t = crate::client::DEFAULT_CONCURRENCY, value_name = "N")]
    pub concurrency: usize,
    /// Log every controller request on stderr (method, path, status, time,
    /// retries); `-vv` adds the bodies. Passwords, tokens and private keys
    /// are redacted.
    #[arg(short = 'v', long = "verbose", action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Take the controller from the cluster, as AKO does: its address from
    /// the ConfigMap `avi-k8s-config` (`controllerIP`), the user, password or
    /// auth token and CA from the Secret `avi-secret`, both in AKO's
    /// namespace (--ako-namespace). The credentials are never printed.
    #[arg(long, conflicts_with = "controller")]
    pub controller_from_cluster: bool,
}

impl ControllerArgs {
    /// The flags as the workflow takes them.
    pub fn config(&self) -> crate::workflow::controller::ControllerConfig {
        crate::workflow::controller::ControllerConfig {
            username: self.username.clone(),
            password_file: self.password_file.clone(),
            ca_cert: self.ca_cert.clone(),
            insecure: self.insecure,
            api_version: self.api_version.clone(),
            concurrency: self.concurrency,
        }
    }
}

/// Where the user name came from (clap gives `--username` over
/// `AVI_USERNAME` over the default `admin`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserOrigin {
    Flag,
    Env,
    Default,
}

/// Where the password or token came from, in the order `credential` reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretOrigin {
    File(String),
    PasswordEnv,
    TokenEnv,
}

/// The origin of the user name: the flag when given on the command line,
/// else the variable when set, else the default.
pub fn user_origin(argv: &[String], env_set: bool) -> UserOrigin {
    if argv
        .iter()
        .any(|a| a == "--username" || a.starts_with("--username="))
    {
        UserOrigin::Flag
    } else if env_set {
        UserOrigin::Env
    } else {
        UserOrigin::Default
    }
}

fn secret_origin(a: &ControllerArgs) -> SecretOrigin {
    if let Some(p) = &a.password_file {
        return SecretOrigin::File(p.display().to_string());
    }
    let set = |v: &str| std::env::var(v).is_ok_and(|x| !x.trim().is_empty());
    if set("AVI_PASSWORD") {
        SecretOrigin::PasswordEnv
    } else {
        SecretOrigin::TokenEnv
    }
}

/// The headline and the hint for a known problem (pure, for tests).
pub fn describe(
    problem: ConnectProblem,
    url: &str,
    user: &str,
    user_from: &UserOrigin,
    secret_from: &SecretOrigin,
) -> (String, String) {
    let hostport = url.split_once("://").map_or(url, |(_, h)| h);
    match problem {
        ConnectProblem::UnknownIssuer => (
            "its TLS certificate is signed by an unknown authority (self-signed or a private CA)".into(),
            "pass the controller's CA certificate with --ca-cert FILE (PEM), or skip verification with --insecure (as AKO does without certificateAuthorityData)".into(),
        ),
        ConnectProblem::NameMismatch => (
            "its TLS certificate is not issued for that host name or address".into(),
            "use the host name the certificate names in --controller, or skip verification with --insecure".into(),
        ),
        ConnectProblem::Expired => (
            "its TLS certificate is expired or not valid yet".into(),
            "renew the controller's certificate or check this machine's clock; --insecure skips verification".into(),
        ),
        ConnectProblem::HttpsToPlain => (
            "it does not speak TLS: it answered the TLS greeting in plain text or closed the connection".into(),
            format!("if the controller serves plain HTTP there, use --controller http://{hostport}; otherwise check the port (a controller serves https on 443)"),
        ),
        ConnectProblem::PlainToHttps => (
            "it answered in TLS, not in plain HTTP".into(),
            format!("use --controller https://{hostport}"),
        ),
        ConnectProblem::Refused => (
            format!("nothing accepts connections at {hostport}"),
            "check the controller's address and port (a controller serves https on 443)".into(),
        ),
        ConnectProblem::Unauthorized => {
            let who = match user_from {
                UserOrigin::Flag => format!("user {user:?} (from --username)"),
                UserOrigin::Env => format!("user {user:?} (from AVI_USERNAME)"),
                UserOrigin::Default => format!(
                    "user {user:?} (the default; set --username or AVI_USERNAME for another)"
                ),
            };
            let with = match secret_from {
                SecretOrigin::File(f) => format!("the password in {f:?} (--password-file)"),
                SecretOrigin::PasswordEnv => "the password from AVI_PASSWORD".into(),
                SecretOrigin::TokenEnv => "the token from AVI_AUTH_TOKEN".into(),
            };
            (
                format!("the controller refused {who} with {with} (HTTP 401)"),
                "check the user name and the password or token; a token must belong to that user".into(),
            )
        }
    }
}

/// Turn a connection error into the report printed: a known problem gets a
/// plain headline and a hint, anything else is shown as the client gives it.
pub(crate) fn report(e: ClientError, a: &ControllerArgs) -> Report {
    match &e {
        ClientError::Login {
            url,
            problem: Some(p),
            ..
        } => {
            let argv: Vec<String> = std::env::args().collect();
            let env_set = std::env::var("AVI_USERNAME").is_ok_and(|v| !v.is_empty());
            let (head, help) = describe(
                *p,
                url,
                &a.username,
                &user_origin(&argv, env_set),
                &secret_origin(a),
            );
            miette!(help = help, "login to {url} failed: {head}")
        }
        _ => miette!("{e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(user_from: UserOrigin, secret: SecretOrigin) -> String {
        let mut out = String::new();
        for p in [
            ConnectProblem::UnknownIssuer,
            ConnectProblem::NameMismatch,
            ConnectProblem::Expired,
            ConnectProblem::HttpsToPlain,
            ConnectProblem::PlainToHttps,
            ConnectProblem::Refused,
            ConnectProblem::Unauthorized,
        ] {
            let url = if p == ConnectProblem::PlainToHttps {
                "http://ctl.example:9443"
            } else {
                "https://ctl.example:9443"
            };
            let (h, help) = describe(p, url, "ops", &user_from, &secret);
            out.push_str(&format!("{p:?}\n  {h}\n  help: {help}\n"));
        }
        out
    }

    #[test]
    fn connection_problems_say_what_to_do() {
        insta::assert_snapshot!(all(UserOrigin::Flag, SecretOrigin::PasswordEnv));
    }

    #[test]
    fn a_refused_login_names_the_user_and_where_it_came_from() {
        let mut out = String::new();
        for (u, s) in [
            (UserOrigin::Env, SecretOrigin::TokenEnv),
            (UserOrigin::Default, SecretOrigin::File("pw.txt".into())),
        ] {
            let (h, _) = describe(
                ConnectProblem::Unauthorized,
                "https://ctl.example",
                "admin",
                &u,
                &s,
            );
            out.push_str(&h);
            out.push('\n');
        }
        insta::assert_snapshot!(out);
    }

    #[test]
    fn the_user_flag_wins_over_the_variable() {
        let argv = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            user_origin(&argv(&["akoctl", "pull", "--username=x"]), true),
            UserOrigin::Flag
        );
        assert_eq!(
            user_origin(&argv(&["akoctl", "pull", "--username", "x"]), false),
            UserOrigin::Flag
        );
        assert_eq!(
            user_origin(&argv(&["akoctl", "pull"]), true),
            UserOrigin::Env
        );
        assert_eq!(
            user_origin(&argv(&["akoctl", "pull"]), false),
            UserOrigin::Default
        );
    }
}
