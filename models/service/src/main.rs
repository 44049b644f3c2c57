//! `weft-config-api`: the config API as a process (see the library's `serve` module).

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use weft_config_api::cli::Args;
use weft_config_api::serve::{shutdown_signal, Service};

fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_max_level(args.log_level)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(&format!("cannot start the tokio runtime: {e}")),
    };
    let outcome = runtime.block_on(async {
        let service = Service::start(&args.options()).await?;
        tracing::info!(addr = %service.addr(), "listening");
        let mut out = std::io::stdout().lock();
        // The one stdout line, for scripts and tests that listen on port 0.
        let _ = writeln!(out, "listening on http://{}", service.addr());
        let _ = out.flush();
        drop(out);
        service.serve(shutdown_signal()).await
    });
    match outcome {
        Ok(()) => {
            tracing::info!("stopped");
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string()),
    }
}

fn fail(why: &str) -> ExitCode {
    eprintln!("weft-config-api: {why}");
    ExitCode::FAILURE
}
