//! `--version`, `completions` and `man`: the version names the features built in, the
//! bash script loads in bash and completes the subcommands, and the manual page is roff
//! with every subcommand in it.

use std::process::Command;

use crate::support::binary::{Binary, succeeded};

#[test]
fn the_version_names_the_features_built_in() {
    let output = Binary::new().run(&["--version"]);
    let printed = succeeded(&output);
    assert!(
        printed.starts_with(&format!(
            "cognito-signin {} (features: ",
            env!("CARGO_PKG_VERSION")
        )),
        "{printed}"
    );
    assert_eq!(
        printed.contains("security-key"),
        cfg!(feature = "security-key"),
        "{printed}"
    );
}

#[test]
fn the_bash_script_loads_in_bash_and_completes_the_subcommands() {
    let binary = Binary::new();
    let script = succeeded(&binary.run(&["completions", "bash"]));
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("cognito-signin.bash");
    std::fs::write(&path, &script).unwrap();
    // Load it, then ask it for the words after `cognito-signin pa`, as Tab would.
    let check = format!(
        r#"set -e
source '{}'
complete -p cognito-signin
COMP_WORDS=(cognito-signin pa); COMP_CWORD=1; COMP_LINE='cognito-signin pa'; COMP_POINT=${{#COMP_LINE}}
_cognito__signin cognito-signin pa cognito-signin
printf '%s\n' "${{COMPREPLY[@]}}""#,
        path.display()
    );
    let output = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &check])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.is_empty(), "loading the script said: {stderr}");
    let completed = String::from_utf8_lossy(&output.stdout);
    assert!(
        completed.contains("-F _cognito__signin cognito-signin"),
        "{completed}"
    );
    assert!(completed.contains("passkeys\npassword"), "{completed}");
}

#[test]
fn every_shell_gets_a_script_and_the_manual_page_is_roff() {
    let binary = Binary::new();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = succeeded(&binary.run(&["completions", shell]));
        assert!(script.contains("cognito-signin"), "{shell}: {script}");
    }
    let page = succeeded(&binary.run(&["man"]));
    assert!(page.starts_with(".ie \\n(.g .ds Aq"), "{page}");
    assert!(page.contains(".TH cognito-signin 1"), "{page}");
    for subcommand in ["demo", "serve", "tokens", "passkeys", "completions"] {
        assert!(page.contains(subcommand), "{subcommand} is missing: {page}");
    }
}

#[test]
fn the_completions_know_the_saved_pools() {
    let binary = Binary::new();
    let folder = binary.home().join("config/cognito-signin");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("config.toml"),
        "[pools.work-eu]\nuser_pool_id = \"eu-west-1_A\"\nclient_id = \"c\"\n",
    )
    .unwrap();
    let script = succeeded(&binary.run(&["completions", "bash"]));
    assert!(script.contains("work-eu"), "{script}");
}
