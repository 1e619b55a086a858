// The VS Code client of `xanoctl lsp`: starts the server for the workspace's *.xs files.
// Plain JavaScript, no build step: `npm install` here, then run it from VS Code
// (F5 on this folder) or package it with `npx @vscode/vsce package`.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration("xanoctl");
  const command = settings.get("path") || "xanoctl";
  const rulesUrl = settings.get("rulesUrl");
  const serverOptions = {
    command,
    args: ["lsp", ...settings.get("args", [])],
    transport: TransportKind.stdio, // adds --stdio
  };
  const clientOptions = {
    // by file name, whatever language another extension (Xano's) gives *.xs files
    documentSelector: [{ scheme: "file", pattern: "**/*.xs" }],
    initializationOptions: rulesUrl ? { rulesUrl } : {},
  };
  client = new LanguageClient("xanoctl", "xanoctl", serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.commands.registerCommand("xanoctl.restart", () => client.restart())
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
