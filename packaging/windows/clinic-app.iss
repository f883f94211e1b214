; Inno Setup script for clinic-app on Windows (x64). Build steps: packaging/README.md.
;   iscc /DVersion=0.1.0 /DVariant=gpu packaging\windows\clinic-app.iss
; Input: the one-folder bundle from PyInstaller in dist\clinic-app (clinic-app.exe is the
; console build for IT and the CLI, clinic-app-gui.exe the windowed build for the shortcut).

#ifndef Version
  #define Version "0.1.0"
#endif
#ifndef Variant
  #define Variant "gpu"
#endif

[Setup]
AppId={{6F1D2B9E-7C1A-4C55-9E4B-2B8F6B0C1A11}
AppName=clinic-app
AppVersion={#Version}
AppPublisher=clinic-app
DefaultDirName={autopf}\clinic-app
DefaultGroupName=clinic-app
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequired=admin
OutputDir=..\out
OutputBaseFilename=clinic-app-{#Version}-windows-x64-{#Variant}-setup
Compression=lzma2/ultra64
SolidCompression=yes
SetupIconFile=..\..\clinic_app\resources\icons\clinic-app.ico
UninstallDisplayIcon={app}\clinic-app-gui.exe
; Sign the installer and the uninstaller with the organisation's code-signing certificate
; (configure a sign tool named "signtool" in the Inno Setup IDE or with /S on iscc).
; SignTool=signtool

[Files]
Source: "..\..\dist\clinic-app\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; The site configuration template: installed once, never overwritten, kept on uninstall.
Source: "..\linux\config.toml"; DestDir: "{commonappdata}\clinic-app"; DestName: "config.toml"; Flags: onlyifdoesntexist uninsneveruninstall

[Dirs]
Name: "{commonappdata}\clinic-app"; Flags: uninsneveruninstall

[Icons]
Name: "{group}\clinic-app"; Filename: "{app}\clinic-app-gui.exe"
Name: "{group}\clinic-app self-test"; Filename: "{cmd}"; Parameters: "/k ""{app}\clinic-app.exe"" --self-test"

[Run]
; %ProgramData% subfolders inherit "Users may create files" by default, which would let any
; user create or replace the site policy. Replace the inherited ACL: Administrators and
; SYSTEM full control, Users read and execute only.
Filename: "{sys}\icacls.exe"; Parameters: """{commonappdata}\clinic-app"" /inheritance:r /grant:r *S-1-5-32-544:(OI)(CI)F *S-1-5-18:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX"; Flags: runhidden
Filename: "{app}\clinic-app.exe"; Parameters: "--self-test"; Description: "Run the self-test now"; Flags: postinstall skipifsilent runascurrentuser waituntilterminated
