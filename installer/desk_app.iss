; Inno Setup 6 script: the Windows installer of desk_app (issue #11). See docs/installer.md.
;
; Build on Windows, after the one-folder bundle (installer\build.sh bundle, or the
; pyinstaller command in docs/installer.md) has made dist\desk-app\:
;
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 installer\desk_app.iss
;
; Output: dist\desk-app-<version>-setup.exe, one file to copy to a USB stick.
;
; What it does on a hall PC (Windows 10/11, x64, an administrator runs it):
;   * installs the program into {autopf}\desk_app (C:\Program Files\desk_app);
;   * asks for the per-machine data directory (default {commonappdata}\desk_app, i.e.
;     C:\ProgramData\desk_app), lets every local user modify it, and writes it into
;     {app}\desk_app.ini as [paths] data_dir=, which desk_app/config.py reads;
;   * a Start-menu entry 社会救助综合服务窗口 (and a desktop one if ticked);
;   * runs the installed program's self-test and says so if it fails.
; Uninstall removes the program and desk_app.ini, never the data directory: the database,
; its backups and the logs stay where they are (the last message names the folder).
;
; This file is UTF-8 with a byte-order mark: Inno Setup reads the Chinese texts correctly
; only with the BOM.

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=x.y.z installer\desk_app.iss (installer/build.sh installer prints it)
#endif
#define AppName "社会救助综合服务窗口"
#define AppExe "desk-app.exe"
#define CliExe "desk-app-cli.exe"
#define Bundle "..\dist\desk-app"

[Setup]
; AppId identifies the program for upgrades and uninstall: never change it.
AppId={{6C0E3F7A-2B8D-4C51-9E36-5A1D7B94C2E8}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=desk_app
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
DefaultDirName={autopf}\desk_app
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
WizardStyle=modern
ShowLanguageDialog=no
OutputDir=..\dist
OutputBaseFilename=desk-app-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExe}
; A running desk-app.exe is closed (Restart Manager) before files are replaced.
CloseApplications=yes
RestartApplications=no
#if FileExists(SourcePath + "..\resources\desk_app.ico")
SetupIconFile=..\resources\desk_app.ico
#endif

[Languages]
; ChineseSimplified.isl is an unofficial Inno Setup translation: not every Inno Setup
; installation has it. Put a copy next to this script if the compiler lacks it.
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
Name: "chs"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(SourcePath + "ChineseSimplified.isl")
Name: "chs"; MessagesFile: "ChineseSimplified.isl"
#else
  #pragma warning "ChineseSimplified.isl not found: the wizard's standard texts will be English"
Name: "en"; MessagesFile: "compiler:Default.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "在桌面上创建快捷方式"; GroupDescription: "快捷方式："; Flags: unchecked

[InstallDelete]
; An upgrade replaces the bundled libraries as a whole: nothing stale from the old version.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Dirs]
; The data directory: every local user (clerks sign in with their own Windows accounts)
; may create and change files there. Never removed by the uninstaller.
Name: "{code:GetDataDir}"; Permissions: users-modify; Flags: uninsneveruninstall

[INI]
; desk_app/config.py reads this when the program runs installed (sys.frozen).
Filename: "{app}\desk_app.ini"; Section: "paths"; Key: "data_dir"; String: "{code:GetDataDir}"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "一门受理、协同办理"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "启动{#AppName}"; Flags: postinstall nowait skipifsilent unchecked

[UninstallDelete]
; Only the file the installer wrote into {app}. The data directory is not listed here and
; must never be: uninstalling keeps the database, the backups and the logs.
Type: files; Name: "{app}\desk_app.ini"

[Code]
const
  DRIVE_REMOVABLE = 2;

var
  DataDirPage: TInputDirWizardPage;
  UninstallDataDir: String;

function GetDriveType(lpRootPathName: String): Cardinal;
  external 'GetDriveTypeW@kernel32.dll stdcall';

function DefaultDataDir(): String;
begin
  Result := ExpandConstant('{commonappdata}\desk_app');
end;

procedure InitializeWizard();
begin
  DataDirPage := CreateInputDirPage(wpSelectDir,
    '选择数据目录',
    '本机的业务数据保存在哪里？',
    '数据目录保存本机的全部业务数据：数据库、自动备份和日志，本机所有 Windows 用户共用。' + #13#10 +
    '卸载程序时不会删除这个目录。' + #13#10#13#10 +
    '一般使用默认位置即可。如需放在其他磁盘，请选择本机固定磁盘上的文件夹，不要选U盘、移动硬盘或网络共享文件夹。',
    False, '');
  DataDirPage.Add('数据目录：');
  { An upgrade or a reinstall offers the directory chosen last time. }
  DataDirPage.Values[0] := GetPreviousData('DataDir', DefaultDataDir());
end;

procedure RegisterPreviousData(PreviousDataKey: Integer);
begin
  SetPreviousData(PreviousDataKey, 'DataDir', DataDirPage.Values[0]);
end;

function GetDataDir(Param: String): String;
begin
  Result := RemoveBackslashUnlessRoot(DataDirPage.Values[0]);
end;

function IsInside(const Child, Parent: String): Boolean;
var
  C, P: String;
begin
  C := AddBackslash(Lowercase(Child));
  P := AddBackslash(Lowercase(Parent));
  Result := Copy(C, 1, Length(P)) = P;
end;

function NextButtonClick(CurPageID: Integer): Boolean;
var
  Dir: String;
begin
  Result := True;
  if CurPageID = DataDirPage.ID then
  begin
    Dir := GetDataDir('');
    if Copy(Dir, 1, 2) = '\\' then
    begin
      MsgBox('数据目录不能是网络共享文件夹：数据库需要在本机磁盘上。多台电脑共用数据请使用 PostgreSQL（见管理员手册）。', mbError, MB_OK);
      Result := False;
    end
    else if IsInside(Dir, WizardDirValue()) then
    begin
      MsgBox('数据目录不能放在程序目录里：升级和卸载会替换程序目录。请另选一个文件夹。', mbError, MB_OK);
      Result := False;
    end
    else if GetDriveType(AddBackslash(ExtractFileDrive(Dir))) = DRIVE_REMOVABLE then
    begin
      Result := MsgBox('所选位置在可移动磁盘上。拔下这个磁盘后程序将无法打开数据。仍然使用这个位置吗？', mbConfirmation, MB_YESNO) = IDYES;
    end;
  end;
end;

function UpdateReadyMemo(Space, NewLine, MemoUserInfoInfo, MemoDirInfo, MemoTypeInfo,
  MemoComponentsInfo, MemoGroupInfo, MemoTasksInfo: String): String;
begin
  Result := MemoDirInfo + NewLine + NewLine +
    '数据目录（卸载时保留）：' + NewLine + Space + GetDataDir('');
  if MemoTasksInfo <> '' then
    Result := Result + NewLine + NewLine + MemoTasksInfo;
end;

procedure CurStepChanged(CurStep: TSetupStep);
var
  ResultCode: Integer;
begin
  if (CurStep = ssPostInstall) and not WizardSilent() then
  begin
    WizardForm.StatusLabel.Caption := '正在自检安装好的程序…';
    { The console twin runs hidden; self-test uses a temporary folder, never the data. }
    if not Exec(ExpandConstant('{app}\{#CliExe}'), 'self-test --gui', ExpandConstant('{app}'),
      SW_HIDE, ewWaitUntilTerminated, ResultCode) or (ResultCode <> 0) then
      MsgBox('安装后的自检没有通过（代码 ' + IntToStr(ResultCode) + '）。' + #13#10 +
        '请以管理员身份打开命令提示符，运行：' + #13#10 +
        '"' + ExpandConstant('{app}\{#CliExe}') + '" self-test' + #13#10 +
        '并把显示的内容发给技术支持。', mbError, MB_OK);
  end;
end;

function InitializeUninstall(): Boolean;
begin
  UninstallDataDir := GetIniString('paths', 'data_dir', '', ExpandConstant('{app}\desk_app.ini'));
  Result := True;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and (UninstallDataDir <> '') and not UninstallSilent() then
    MsgBox('程序已卸载。数据目录没有删除，数据库、备份和日志仍在：' + #13#10 + UninstallDataDir + #13#10 +
      '重新安装时选择同一个数据目录即可继续使用。', mbInformation, MB_OK);
end;
