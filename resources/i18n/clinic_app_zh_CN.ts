<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name></name>
    <message>
        <source>Recomputing all scores…</source>
        <translation>正在重新计算全部评分…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Recompute cancelled: the scores stored before it are unchanged.</source>
        <translation>重新计算已取消：之前保存的评分保持不变。</translation>
    </message>
    <message>
        <source>Recompute failed.</source>
        <translation>重新计算失败。</translation>
    </message>
    <message>
        <source>risk report</source>
        <translation>风险报告</translation>
    </message>
    <message>
        <source>record family history</source>
        <translation>记录家族史</translation>
    </message>
    <message>
        <source>running {model_id}</source>
        <translation>正在运行 {model_id}</translation>
    </message>
    <message>
        <source>Cancelling; nothing partial is stored…</source>
        <translation>正在取消；不会保存任何部分结果…</translation>
    </message>
    <message>
        <source>Analysis cancelled; nothing was stored.</source>
        <translation>分析已取消；未保存任何内容。</translation>
    </message>
    <message>
        <source>the last analysis failed</source>
        <translation>上次分析失败</translation>
    </message>
    <message>
        <source>{person_name}: {n} series (double-click a series or the study to open it)</source>
        <extracomment>The selected study&apos;s series thumbnails are shown; carries its UID.</extracomment>
        <translation>{person_name}：{n} 个序列（双击序列或检查以打开）</translation>
    </message>
    <message>
        <source>therapy impact</source>
        <translation>治疗效果</translation>
    </message>
</context>
<context>
    <name>AddModelDialog</name>
    <message>
        <source>Add model package</source>
        <translation>添加模型包</translation>
    </message>
    <message>
        <source>The package folder (manifest.json and model.onnx) is verified (schema, file hashes, signature against the app&apos;s trusted keys, no custom operators) before it is copied into the site models folder.</source>
        <translation>模型包文件夹（manifest.json 和 model.onnx）在复制到本机构模型文件夹之前会经过校验（格式、文件哈希、按本应用受信任密钥验证签名、不得含自定义算子）。</translation>
    </message>
    <message>
        <source>Verify and add</source>
        <translation>校验并添加</translation>
    </message>
    <message>
        <source>Package folder</source>
        <translation>模型包文件夹</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>If it is &amp;unsigned, approve exactly this package</source>
        <translation>如未签名，仅批准此模型包(&amp;U)</translation>
    </message>
    <message>
        <source>Reason for approving an unsigned package</source>
        <translation>批准未签名模型包的理由</translation>
    </message>
    <message>
        <source>why it may run, e.g. validated locally on …</source>
        <translation>允许运行的理由，例如：已于……在本地验证</translation>
    </message>
    <message>
        <source>Package &amp;folder:</source>
        <translation>模型包文件夹(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>理由(&amp;R)：</translation>
    </message>
    <message>
        <source>Choose a model package folder</source>
        <translation>选择模型包文件夹</translation>
    </message>
    <message>
        <source>Choose the package folder.</source>
        <translation>请选择模型包文件夹。</translation>
    </message>
    <message>
        <source>Say why this unsigned package may run; the reason is kept in the audit log.</source>
        <translation>请说明为何允许运行此未签名模型包；理由将记录在审计日志中。</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <source>First IT administrator</source>
        <translation>首位 IT 管理员</translation>
    </message>
    <message>
        <source>This account manages users, models, settings and the audit log.</source>
        <translation>此账户管理用户、模型、设置和审计日志。</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>At least {password_min_length} characters; a few unrelated words make a strong password that is easy to type.</source>
        <translation>至少 {password_min_length} 个字符；由几个互不相关的词组成的密码既安全又便于输入。</translation>
    </message>
</context>
<context>
    <name>AdminWorkspace</name>
    <message>
        <source>&amp;Users</source>
        <translation>用户(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Audit log</source>
        <translation>审计日志(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Models</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <source>S&amp;ettings</source>
        <translation>设置(&amp;E)</translation>
    </message>
    <message>
        <source>S&amp;ystem</source>
        <translation>系统(&amp;Y)</translation>
    </message>
    <message>
        <source>&amp;PACS</source>
        <translation>PACS(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Operations</source>
        <translation>运维(&amp;O)</translation>
    </message>
</context>
<context>
    <name>Analysis</name>
    <message>
        <source>{series} cannot be analysed by model {model}: {gaps}. The model needs every slice of the series; import the missing instances again from their source.</source>
        <translation>{series} 无法由模型 {model} 分析：{gaps}。该模型需要序列的全部层面；请从来源重新导入缺失的实例。</translation>
    </message>
</context>
<context>
    <name>AuditPanel</name>
    <message>
        <source>Filter by user</source>
        <translation>按用户筛选</translation>
    </message>
    <message>
        <source>any user</source>
        <translation>任意用户</translation>
    </message>
    <message>
        <source>Filter by patient pseudonym</source>
        <translation>按患者化名筛选</translation>
    </message>
    <message>
        <source>p-… pseudonym</source>
        <translation>p-… 化名</translation>
    </message>
    <message>
        <source>Filter by event type</source>
        <translation>按事件类型筛选</translation>
    </message>
    <message>
        <source>Any event</source>
        <translation>任意事件</translation>
    </message>
    <message>
        <source>Filter by outcome</source>
        <translation>按结果筛选</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>起始(&amp;F)</translation>
    </message>
    <message>
        <source>From date</source>
        <translation>起始日期</translation>
    </message>
    <message>
        <source>&amp;To</source>
        <translation>截止(&amp;T)</translation>
    </message>
    <message>
        <source>To date</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <source>&amp;Apply filter</source>
        <translation>应用筛选(&amp;A)</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>清除(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>用户(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Patient:</source>
        <translation>患者(&amp;P)：</translation>
    </message>
    <message>
        <source>Out&amp;come:</source>
        <translation>结果(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Verify chain</source>
        <translation>校验链(&amp;V)</translation>
    </message>
    <message>
        <source>Export &amp;JSON…</source>
        <translation>导出 JSON(&amp;J)…</translation>
    </message>
    <message>
        <source>Export C&amp;SV…</source>
        <translation>导出 CSV(&amp;S)…</translation>
    </message>
    <message>
        <source>Audit chain verification result</source>
        <translation>审计链校验结果</translation>
    </message>
    <message>
        <source>Audit entries</source>
        <translation>审计条目</translation>
    </message>
    <message>
        <source>{len} entries</source>
        <translation>{len} 条</translation>
    </message>
    <message>
        <source>1 entry</source>
        <translation>1 条</translation>
    </message>
    <message>
        <source>Verifying the audit chain</source>
        <translation>正在校验审计链</translation>
    </message>
    <message>
        <source>Checking every entry&apos;s MAC against the one before…</source>
        <translation>正在按前一条目逐条核对每条记录的 MAC…</translation>
    </message>
    <message>
        <source>✖ {rstrip}. Do not delete anything: preserve the store folder as it is and tell the privacy officer.</source>
        <translation>✖ {rstrip}。请勿删除任何内容：保持存储文件夹原样，并通知隐私官。</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export audit log as {upper}</source>
        <translation>将审计日志导出为 {upper}</translation>
    </message>
    <message>
        <source>Cannot write {path}: {strerror}. Choose another folder.</source>
        <translation>无法写入 {path}：{strerror}。请选择其他文件夹。</translation>
    </message>
    <message>
        <source>Exporting the audit log</source>
        <translation>正在导出审计日志</translation>
    </message>
    <message>
        <source>Audit log exported to {path}</source>
        <translation>审计日志已导出到 {path}</translation>
    </message>
</context>
<context>
    <name>BoxDialog</name>
    <message>
        <source>Series {value} {description}</source>
        <translation>序列 {value} {description}</translation>
    </message>
    <message>
        <source>e.g. pulmonary nodule</source>
        <translation>例如：肺结节</translation>
    </message>
    <message>
        <source>Comment (optional)</source>
        <translation>备注（可选）</translation>
    </message>
    <message>
        <source>Series</source>
        <translation>序列</translation>
    </message>
    <message>
        <source>Image (slice from 0)</source>
        <translation>图像（层号从 0 开始）</translation>
    </message>
    <message>
        <source>Columns (first, last pixel)</source>
        <translation>列（首、末像素）</translation>
    </message>
    <message>
        <source>Rows (first, last pixel)</source>
        <translation>行（首、末像素）</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>发现</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>Your password must be changed before you continue: it was set by IT. </source>
        <translation>继续之前必须修改密码：当前密码由 IT 设置。</translation>
    </message>
    <message>
        <source>The app then creates your own keys on the password you choose; IT never learns it. </source>
        <translation>随后本应用将基于您选择的密码生成您自己的密钥；IT 永远不会知道该密码。</translation>
    </message>
    <message>
        <source>Choose a password of at least {policy} characters; a few unrelated words make a strong one that is easy to type.</source>
        <translation>请设置至少 {policy} 个字符的密码；由几个互不相关的词组成的密码既安全又便于输入。</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <source>&amp;Current password:</source>
        <translation>当前密码(&amp;C)：</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>Repeat new password</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>&amp;New password:</source>
        <translation>新密码(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Repeat:</source>
        <translation>再次输入(&amp;R)：</translation>
    </message>
    <message>
        <source>Type a new password.</source>
        <translation>请输入新密码。</translation>
    </message>
    <message>
        <source>The two new passwords are different; type them again.</source>
        <translation>两次输入的新密码不一致，请重新输入。</translation>
    </message>
</context>
<context>
    <name>ClinicianPage</name>
    <message>
        <source>First clinician (recommended)</source>
        <translation>首位临床医生（建议）</translation>
    </message>
    <message>
        <source>The first clinician creates the key to patient data at first sign-in.</source>
        <translation>首位临床医生在首次登录时生成患者数据密钥。</translation>
    </message>
    <message>
        <source>&amp;Create the first clinician now</source>
        <translation>现在创建首位临床医生(&amp;C)</translation>
    </message>
    <message>
        <source>Clinician role</source>
        <translation>临床角色</translation>
    </message>
    <message>
        <source>Radiologist</source>
        <translation>放射科医生</translation>
    </message>
    <message>
        <source>Physician</source>
        <translation>临床医生</translation>
    </message>
    <message>
        <source>Clinician</source>
        <translation>临床医生</translation>
    </message>
    <message>
        <source>This password is temporary: the clinician chooses their own at first sign-in, and the app creates their keys and the key to patient data on it. Clinicians you add later get access when a clinician who holds it approves their request.</source>
        <translation>此密码为临时密码：临床医生首次登录时设置自己的密码，本应用据此生成其个人密钥和患者数据密钥。之后添加的临床医生，需由已持有该密钥的临床医生批准其申请后方可访问。</translation>
    </message>
    <message>
        <source>Create store</source>
        <translation>创建存储</translation>
    </message>
</context>
<context>
    <name>ComparePanel</name>
    <message>
        <source>Compare</source>
        <extracomment>The prior&apos;s series are loaded beside the open study (its study UID). A hanging protocol was applied (its name; &quot;&quot; when none fitted). The patient&apos;s other studies were listed (how many).</extracomment>
        <translation>对比</translation>
    </message>
    <message>
        <source>Prior study</source>
        <translation>既往检查</translation>
    </message>
    <message>
        <source>An earlier study of this patient, shown beside this one</source>
        <translation>该患者的既往检查，与本检查并排显示</translation>
    </message>
    <message>
        <source>Link scroll</source>
        <translation>联动滚动</translation>
    </message>
    <message>
        <source>Scroll the viewports together by patient position</source>
        <translation>按患者位置同步滚动各视窗</translation>
    </message>
    <message>
        <source>Link window</source>
        <translation>联动窗宽窗位</translation>
    </message>
    <message>
        <source>Give every viewport of the same modality the same window</source>
        <translation>同一模态的所有视窗使用相同的窗宽窗位</translation>
    </message>
    <message>
        <source> mm</source>
        <translation> mm</translation>
    </message>
    <message>
        <source>Offset of the active viewport</source>
        <translation>当前视窗的偏移</translation>
    </message>
    <message>
        <source>Shift of the active viewport against the others (set when linking studies of different frames)</source>
        <translation>当前视窗相对其他视窗的位移（联动不同坐标系的检查时设置）</translation>
    </message>
    <message>
        <source>Save layout as mine</source>
        <translation>保存为我的布局</translation>
    </message>
    <message>
        <source>Open studies like this one in this layout from now on</source>
        <translation>今后以此布局打开同类检查</translation>
    </message>
    <message>
        <source>Prior:</source>
        <translation>既往：</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Layout: {name}</source>
        <translation>布局：{name}</translation>
    </message>
    <message>
        <source>My {modality} {body} with prior</source>
        <translation>我的 {modality} {body}（含既往）</translation>
    </message>
    <message>
        <source>My {modality} {body}</source>
        <translation>我的 {modality} {body}</translation>
    </message>
    <message>
        <source>The layout could not be saved: {reason}</source>
        <translation>无法保存布局：{reason}</translation>
    </message>
    <message>
        <source>Saved as “{name}” in {path}</source>
        <translation>已另存为“{name}”，位于 {path}</translation>
    </message>
</context>
<context>
    <name>ConfirmInputDialog</name>
    <message>
        <source>Confirm an uncertain input</source>
        <translation>确认不确定的输入项</translation>
    </message>
    <message>
        <source>The record cannot settle “{label}”: {reason}.</source>
        <translation>病历无法确定“{label}”：{reason}。</translation>
    </message>
    <message>
        <source>{label}?</source>
        <translation>{label}？</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Why (for example: takes it for hypertension, per the patient)</source>
        <translation>原因（例如：患者自述用于治疗高血压）</translation>
    </message>
    <message>
        <source>Your answer is recorded with your name and today&apos;s date and shown as your confirmation, never as a medication or other record fact. It applies while these same drugs are unclassified.</source>
        <translation>您的回答将连同您的姓名和今天的日期一起记录，并显示为您的确认，而不会作为用药或其他病历事实。在这些药物仍未分类期间有效。</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
</context>
<context>
    <name>CreatePage</name>
    <message>
        <source>Creating the store</source>
        <translation>正在创建存储</translation>
    </message>
    <message>
        <source>Deriving keys and writing the encrypted store…</source>
        <translation>正在派生密钥并写入加密存储…</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Store created with {len} account(s).</source>
        <translation>存储已创建，包含 {len} 个账户。</translation>
    </message>
</context>
<context>
    <name>DicomImport</name>
    <message>
        <source>tag</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>its length does not fit its value type</source>
        <translation>其长度与值类型不符</translation>
    </message>
    <message>
        <source>not a DICOM file (too short to hold a DICOM header)</source>
        <extracomment>Every reason the import writes, as its English template, most specific first.</extracomment>
        <translation>不是 DICOM 文件（长度不足以容纳 DICOM 文件头）</translation>
    </message>
    <message>
        <source>not a DICOM file (no DICM marker and no recognisable DICOM header)</source>
        <translation>不是 DICOM 文件（无 DICM 标识，也无可识别的 DICOM 文件头）</translation>
    </message>
    <message>
        <source>a DICOMDIR index, not an instance (import its folder or the DICOMDIR)</source>
        <translation>这是 DICOMDIR 索引文件，不是图像实例（请导入其所在文件夹或该 DICOMDIR）</translation>
    </message>
    <message>
        <source>missing required tag {tags}</source>
        <translation>缺少必需标签 {tags}</translation>
    </message>
    <message>
        <source>{keyword} is not a valid DICOM UID (only digits and dots, at most 64 characters)</source>
        <translation>{keyword} 不是有效的 DICOM UID（只能含数字和点，最长 64 个字符）</translation>
    </message>
    <message>
        <source>the transfer syntax UID is not a valid UID</source>
        <translation>传输语法 UID 不是有效的 UID</translation>
    </message>
    <message>
        <source>per-frame {refusal}</source>
        <translation>逐帧参数：{refusal}</translation>
    </message>
    <message>
        <source>a number in it is out of range</source>
        <translation>其中的数字超出范围</translation>
    </message>
    <message>
        <source>its value representation (VR) is unknown</source>
        <translation>其值表示（VR）未知</translation>
    </message>
    <message>
        <source>its text is not in the declared character set</source>
        <translation>其文本不属于声明的字符集</translation>
    </message>
    <message>
        <source>its value does not fit its value type</source>
        <translation>其值与值类型不符</translation>
    </message>
    <message>
        <source>it cannot be read ({kind})</source>
        <translation>无法读取（{kind}）</translation>
    </message>
    <message>
        <source>its deflate-compressed dataset is damaged (it does not inflate)</source>
        <translation>其 deflate 压缩数据集已损坏（无法解压）</translation>
    </message>
    <message>
        <source>it is not a DICOM file (the header cannot be parsed)</source>
        <translation>不是 DICOM 文件（无法解析文件头）</translation>
    </message>
    <message>
        <source>the file ends inside a data element, or an element&apos;s length points past the end (truncated or damaged)</source>
        <translation>文件在数据元素内部结束，或某元素长度超出文件末尾（被截断或已损坏）</translation>
    </message>
    <message>
        <source>{tag} is damaged: {what}</source>
        <translation>{tag} 已损坏：{what}</translation>
    </message>
    <message>
        <source>a data element is damaged: {what}</source>
        <translation>某数据元素已损坏：{what}</translation>
    </message>
    <message>
        <source>required {tag} is damaged: {what}</source>
        <translation>必需的 {tag} 已损坏：{what}</translation>
    </message>
    <message>
        <source>{tag} is damaged ({what}); ignored</source>
        <translation>{tag} 已损坏（{what}）；已忽略</translation>
    </message>
    <message>
        <source>not a readable DICOM file: {why}</source>
        <translation>不是可读的 DICOM 文件：{why}</translation>
    </message>
    <message>
        <source>damaged DICOM header: {why}</source>
        <translation>DICOM 文件头已损坏：{why}</translation>
    </message>
    <message>
        <source>pixel data not decodable: float pixel data is not supported</source>
        <translation>像素数据无法解码：不支持浮点像素数据</translation>
    </message>
    <message>
        <source>missing Pixel Data (7FE0,0010) although the header describes an image; the file may be truncated</source>
        <translation>文件头描述了图像，但缺少像素数据 (7FE0,0010)；文件可能被截断</translation>
    </message>
    <message>
        <source>the file is truncated or damaged: a {sop_class} object without its image (no Pixel Data)</source>
        <translation>文件被截断或已损坏：{sop_class} 对象缺少图像（无像素数据）</translation>
    </message>
    <message>
        <source>no pixel data (not an image)</source>
        <translation>无像素数据（非图像对象）</translation>
    </message>
    <message>
        <source>missing required image tag {tags}</source>
        <translation>缺少必需的图像标签 {tags}</translation>
    </message>
    <message>
        <source>NumberOfFrames is not a number</source>
        <translation>NumberOfFrames（帧数）不是数字</translation>
    </message>
    <message>
        <source>image has no pixels (rows {rows}, columns {cols}, frames {frames})</source>
        <translation>图像没有像素（行数 {rows}，列数 {cols}，帧数 {frames}）</translation>
    </message>
    <message>
        <source>absurd image dimensions ({rows} × {cols} × {frames} frames); refused before decoding (decompression-bomb guard)</source>
        <translation>图像尺寸不合理（{rows} × {cols} × {frames} 帧）；解码前已拒绝（解压炸弹防护）</translation>
    </message>
    <message>
        <source>impossible pixel format (BitsAllocated {bits}, BitsStored {stored}, SamplesPerPixel {samples}, PixelRepresentation {rep})</source>
        <translation>不可能的像素格式（BitsAllocated {bits}，BitsStored {stored}，SamplesPerPixel {samples}，PixelRepresentation {rep}）</translation>
    </message>
    <message>
        <source>pixel data would decode to {size} GiB, over the {limit} GiB limit (decompression-bomb guard)</source>
        <translation>像素数据解码后将达 {size} GiB，超过 {limit} GiB 上限（解压炸弹防护）</translation>
    </message>
    <message>
        <source>compressed pixel data could not be located in the file</source>
        <translation>无法在文件中定位压缩像素数据</translation>
    </message>
    <message>
        <source>compressed pixel data holds {fragments} fragments for {frames} frames; the file is damaged or truncated</source>
        <translation>压缩像素数据只有 {fragments} 个片段，却有 {frames} 帧；文件已损坏或被截断</translation>
    </message>
    <message>
        <source>the file is truncated: the pixel data ends past the end of the file</source>
        <translation>文件被截断：像素数据超出文件末尾</translation>
    </message>
    <message>
        <source>pixel data length {length} bytes does not match rows × columns × frames × samples ({rows} × {cols} × {frames} × {samples} at {bits} bits = {expected} bytes)</source>
        <translation>像素数据长度 {length} 字节与 行数 × 列数 × 帧数 × 每像素样本数 不符（{rows} × {cols} × {frames} × {samples}，{bits} 位 = {expected} 字节）</translation>
    </message>
    <message>
        <source>the file is truncated inside the compressed pixel data</source>
        <translation>文件在压缩像素数据内部被截断</translation>
    </message>
    <message>
        <source>compressed pixel data is malformed (an item tag is wrong)</source>
        <translation>压缩像素数据格式错误（数据项标签不正确）</translation>
    </message>
    <message>
        <source>pixel data not decodable: unknown photometric interpretation {value}</source>
        <translation>像素数据无法解码：未知的光度解释 {value}</translation>
    </message>
    <message>
        <source>pixel data not decodable: {syntax} (no codec installed)</source>
        <translation>像素数据无法解码：{syntax}（未安装编解码器）</translation>
    </message>
    <message>
        <source>pixel data not decodable: {syntax}</source>
        <translation>像素数据无法解码：{syntax}</translation>
    </message>
    <message>
        <source>RescaleSlope {value} is outside ±{limit}; pixel values cannot be trusted</source>
        <translation>RescaleSlope（重标斜率）{value} 超出 ±{limit}；像素值不可信</translation>
    </message>
    <message>
        <source>RescaleIntercept {value} is outside ±{limit}; pixel values cannot be trusted</source>
        <translation>RescaleIntercept（重标截距）{value} 超出 ±{limit}；像素值不可信</translation>
    </message>
    <message>
        <source>RescaleSlope {value} with {bits}-bit values overflows; pixel values cannot be trusted</source>
        <translation>RescaleSlope（重标斜率）{value} 用于 {bits} 位像素值时溢出；像素值不可信</translation>
    </message>
    <message>
        <source>RescaleSlope/RescaleIntercept are empty, zero or not numbers; pixel values cannot be trusted</source>
        <translation>RescaleSlope/RescaleIntercept（重标斜率/截距）为空、为零或不是数字；像素值不可信</translation>
    </message>
    <message>
        <source>PatientBirthDate is not a valid date; stored as unknown</source>
        <translation>PatientBirthDate（出生日期）不是有效日期；按未知存储</translation>
    </message>
    <message>
        <source>WindowCenter and WindowWidth have different numbers of values; ignored</source>
        <translation>WindowCenter（窗位）与 WindowWidth（窗宽）的值个数不同；已忽略</translation>
    </message>
    <message>
        <source>ImageOrientationPatient is not two orthogonal unit vectors; ignored</source>
        <translation>ImageOrientationPatient（图像方向）不是两个正交单位向量；已忽略</translation>
    </message>
    <message>
        <source>GridFrameOffsetVector does not list one offset per frame; ignored</source>
        <translation>GridFrameOffsetVector 未给每帧列出一个偏移量；已忽略</translation>
    </message>
    <message>
        <source>{keyword} {value} mm is outside the plausible {low}–{high} mm per pixel; ignored (distances are not calibrated)</source>
        <translation>{keyword} {value} mm 超出每像素 {low}–{high} mm 的合理范围；已忽略（距离未经校准）</translation>
    </message>
    <message>
        <source>{keyword} {value} mm is outside 0–{limit} mm; ignored</source>
        <translation>{keyword} {value} mm 超出 0–{limit} mm；已忽略</translation>
    </message>
    <message>
        <source>{keyword} {value} mm lies more than {limit} m from the origin; ignored</source>
        <translation>{keyword} {value} mm 距原点超过 {limit} m；已忽略</translation>
    </message>
    <message>
        <source>{keyword} centre/width {values} is not a usable window (width must be positive, values within ±1e9); ignored</source>
        <translation>{keyword} 窗位/窗宽 {values} 不是可用的窗（窗宽必须为正，数值在 ±1e9 以内）；已忽略</translation>
    </message>
    <message>
        <source>pixel data cannot be decoded, so this instance was not imported (the rest of its series was): {detail}</source>
        <translation>像素数据无法解码，因此未导入此实例（其所在序列的其余部分已导入）：{detail}</translation>
    </message>
    <message>
        <source>an instance with this SOPInstanceUID is already stored with different content; the first copy was kept</source>
        <translation>已存储具有此 SOPInstanceUID 但内容不同的实例；保留了先导入的副本</translation>
    </message>
    <message>
        <source>this StudyInstanceUID already belongs to a different patient (PatientID or issuer differ); not merged, and the study is flagged for review</source>
        <translation>此 StudyInstanceUID 已属于另一位患者（PatientID 或签发机构不同）；未合并，该检查已标记待复核</translation>
    </message>
    <message>
        <source>this SeriesInstanceUID already belongs to a different study; not merged</source>
        <translation>此 SeriesInstanceUID 已属于另一项检查；未合并</translation>
    </message>
    <message>
        <source>{keyword} is not a usable number; ignored</source>
        <translation>{keyword} 不是可用的数字；已忽略</translation>
    </message>
    <message>
        <source>{keyword} is not a finite number; ignored</source>
        <translation>{keyword} 不是有限数值；已忽略</translation>
    </message>
    <message>
        <source>{keyword} {value} is not a valid integer; ignored</source>
        <translation>{keyword} {value} 不是有效整数；已忽略</translation>
    </message>
    <message>
        <source>{keyword} is not numeric; ignored</source>
        <translation>{keyword} 不是数值；已忽略</translation>
    </message>
    <message>
        <source>{keyword} is not finite; ignored</source>
        <translation>{keyword} 不是有限数值；已忽略</translation>
    </message>
    <message>
        <source>{keyword} does not hold {n} numbers; ignored</source>
        <translation>{keyword} 不含 {n} 个数值；已忽略</translation>
    </message>
    <message>
        <source>{keyword} is not two positive numbers; ignored</source>
        <translation>{keyword} 不是两个正数；已忽略</translation>
    </message>
    <message>
        <source>PerFrameFunctionalGroupsSequence has {items} items for {frames} frames; per-frame geometry ignored</source>
        <translation>PerFrameFunctionalGroupsSequence（逐帧功能组序列）有 {items} 项，但有 {frames} 帧；已忽略逐帧几何信息</translation>
    </message>
    <message>
        <source>{place}, frame {frame}: {cause}.</source>
        <translation>{place}，第 {frame} 帧：{cause}。</translation>
    </message>
    <message>
        <source>{place}: {cause}.</source>
        <translation>{place}：{cause}。</translation>
    </message>
    <message>
        <source>file {file}, instance {number}, SOP Instance UID {uid}</source>
        <translation>文件 {file}，实例 {number}，SOP 实例 UID {uid}</translation>
    </message>
    <message>
        <source>file {file}, SOP Instance UID {uid}</source>
        <translation>文件 {file}，SOP 实例 UID {uid}</translation>
    </message>
    <message>
        <source>instance {number}, SOP Instance UID {uid}</source>
        <translation>实例 {number}，SOP 实例 UID {uid}</translation>
    </message>
    <message>
        <source>SOP Instance UID {uid}</source>
        <translation>SOP 实例 UID {uid}</translation>
    </message>
    <message>
        <source>{stage} could not be decoded ({cause})</source>
        <translation>{stage}无法解码（{cause}）</translation>
    </message>
    <message>
        <source>{stage} is unusable ({cause})</source>
        <translation>{stage}不可用（{cause}）</translation>
    </message>
    <message>
        <source>{syntax} pixel data</source>
        <translation>{syntax} 像素数据</translation>
    </message>
    <message>
        <source>Modality LUT</source>
        <translation>模态 LUT</translation>
    </message>
    <message>
        <source>VOI LUT Sequence</source>
        <translation>VOI LUT 序列</translation>
    </message>
    <message>
        <source>palette colour table</source>
        <translation>调色板颜色表</translation>
    </message>
    <message>
        <source>the data is damaged or uses a form the decoder does not support</source>
        <translation>数据已损坏，或采用了解码器不支持的格式</translation>
    </message>
    <message>
        <source>not enough memory</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <source>decoded to shape {shape} instead of {expected}</source>
        <translation>解码后的形状为 {shape}，而不是 {expected}</translation>
    </message>
    <message>
        <source>no such frame (the instance has {frames})</source>
        <translation>没有此帧（该实例共 {frames} 帧）</translation>
    </message>
    <message>
        <source>would decode to more memory than allowed; refused</source>
        <translation>解码所需内存超出允许范围；已拒绝</translation>
    </message>
    <message>
        <source>no decodable pixel data ({status})</source>
        <translation>没有可解码的像素数据（{status}）</translation>
    </message>
</context>
<context>
    <name>DicomImportDialog</name>
    <message>
        <source>Import DICOM</source>
        <translation>导入 DICOM</translation>
    </message>
    <message>
        <source>Add folders (searched recursively), DICOMDIR files from a CD or USB stick, zip archives or single files. Images are encrypted into the store; files that cannot be imported are listed with the reason.</source>
        <translation>可添加文件夹（递归查找）、光盘或U盘上的 DICOMDIR 文件、zip 压缩包或单个文件。图像加密后存入存储；无法导入的文件会列出原因。</translation>
    </message>
    <message>
        <source>Sources to import</source>
        <translation>待导入的来源</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <source>Add DICOMDIR, zip or file…</source>
        <translation>添加 DICOMDIR、zip 或文件…</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Cancel import</source>
        <translation>取消导入</translation>
    </message>
    <message>
        <source>Import progress</source>
        <translation>导入进度</translation>
    </message>
    <message>
        <source>%v / %m files</source>
        <translation>%v / %m 个文件</translation>
    </message>
    <message>
        <source>Files not imported</source>
        <translation>未导入的文件</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Why it was not imported</source>
        <translation>未导入的原因</translation>
    </message>
    <message>
        <source>Choose a folder to import</source>
        <translation>选择要导入的文件夹</translation>
    </message>
    <message>
        <source>Choose DICOM media</source>
        <translation>选择 DICOM 介质</translation>
    </message>
    <message>
        <source>Reading files…</source>
        <translation>正在读取文件…</translation>
    </message>
    <message>
        <source>Cancelling after the current image…</source>
        <translation>当前图像完成后取消…</translation>
    </message>
    <message>
        <source>Cancelled before any image was imported.</source>
        <translation>已在导入任何图像之前取消。</translation>
    </message>
    <message>
        <source>The import failed; nothing partial was kept.</source>
        <translation>导入失败；未保留任何部分结果。</translation>
    </message>
</context>
<context>
    <name>DicomWriter</name>
    <message>
        <source>The {kind} could not be written from these findings ({error}).</source>
        <translation>无法根据这些发现写出{kind}（{error}）。</translation>
    </message>
</context>
<context>
    <name>DisableModelDialog</name>
    <message>
        <source>Disable model</source>
        <translation>停用模型</translation>
    </message>
    <message>
        <source>Disable {value} ({id} {version}) for every user? It stays listed but is no longer loaded, scored or analysed, whatever its signature, until an admin enables it again. Results already stored are kept. The change is recorded in the audit log.</source>
        <translation>要为所有用户停用 {value}（{id} {version}）吗？无论其签名如何，该模型仍会列出，但在管理员重新启用之前不再加载、评分或分析。已保存的结果将保留。此更改会记录在审计日志中。</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Reason for disabling the model</source>
        <translation>停用模型的理由</translation>
    </message>
    <message>
        <source>optional, e.g. local validation pending</source>
        <translation>可选，例如：待本地验证</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>理由(&amp;R)：</translation>
    </message>
</context>
<context>
    <name>FamilyHistoryDialog</name>
    <message>
        <source>Family history of heart attack or stroke</source>
        <translation>心肌梗死或卒中家族史</translation>
    </message>
    <message>
        <source>Has a parent or sibling of {name} had a heart attack (myocardial infarction) or a stroke?</source>
        <translation>{name} 的父母或兄弟姐妹是否患过心肌梗死或卒中？</translation>
    </message>
    <message>
        <source>China-PAR uses this for men. The answer is recorded with your name and the time, apart from the imported record; record it again to change it.</source>
        <translation>China-PAR 对男性使用此项。回答将连同您的姓名和时间单独记录，与导入的病历分开；如需更改请重新记录。</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>How it was established, e.g. asked at today&apos;s visit</source>
        <translation>确认方式，例如：今日就诊时询问</translation>
    </message>
</context>
<context>
    <name>FindingView</name>
    <message>
        <source>no location (the model&apos;s map is empty)</source>
        <extracomment>Which stack of the series the finding is on (0 = the largest). Why the finding was re-placed since its analysis (empty when it was not). What started the run (&quot;manual&quot;, &quot;import&quot;, &quot;demo&quot;) and under which account. ``LPS``, ``image`` or ``uncalibrated`` (no pixel spacing: no size in mm, ever). Distance between the slices it was measured on (mm; None: one image or not kept). Small and measured on thick slices (``core/inference/size_caveat``): the size is marked approximate, and ``size_note`` says why and what to do. It reaches the first or last image of the series analysed (may extend beyond it).</extracomment>
        <translation>无位置（模型热图为空）</translation>
    </message>
    <message>
        <source>Im {image}</source>
        <translation>图 {image}</translation>
    </message>
    <message>
        <source> (Im {lo}–{hi})</source>
        <translation>（图 {lo}–{hi}）</translation>
    </message>
    <message>
        <source>≈{diameter_mm:.1f} mm</source>
        <translation>≈{diameter_mm:.1f} mm</translation>
    </message>
    <message>
        <source>{volume_ml:.2f} mL</source>
        <translation>{volume_ml:.2f} mL</translation>
    </message>
    <message>
        <source>approximate ({slice_mm:g} mm slices)</source>
        <translation>近似值（层间距 {slice_mm:g} mm）</translation>
    </message>
    <message>
        <source>at the edge of the series</source>
        <translation>位于序列边缘</translation>
    </message>
    <message>
        <source>when the demo store was built</source>
        <translation>于构建演示存储时</translation>
    </message>
    <message>
        <source>automatically after an import by {value}</source>
        <translation>在 {value} 导入后自动运行</translation>
    </message>
    <message>
        <source>by {value}</source>
        <translation>由 {value}</translation>
    </message>
    <message>
        <source> at {when}</source>
        <translation>，{when}</translation>
    </message>
    <message>
        <source>{flag}{label}  {score:.2f} (threshold {threshold:.2f})
{model_text}
{where_text}</source>
        <translation>{flag}{label}  {score:.2f}（阈值 {threshold:.2f}）
{model_text}
{where_text}</translation>
    </message>
</context>
<context>
    <name>FindingsPanel</name>
    <message>
        <source>AI findings</source>
        <translation>AI 发现</translation>
    </message>
    <message>
        <source>Model to run</source>
        <translation>要运行的模型</translation>
    </message>
    <message>
        <source>Analyse</source>
        <translation>分析</translation>
    </message>
    <message>
        <source>Run the chosen model on this study in the background</source>
        <translation>在后台对本检查运行所选模型</translation>
    </message>
    <message>
        <source>Analysis progress</source>
        <translation>分析进度</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>AI findings of this study</source>
        <translation>本检查的 AI 发现</translation>
    </message>
    <message>
        <source>Selected finding</source>
        <translation>所选发现</translation>
    </message>
    <message>
        <source>Select a finding to see it on the image.</source>
        <translation>选择一个发现以在图像上查看。</translation>
    </message>
    <message>
        <source>Heat map</source>
        <translation>热图</translation>
    </message>
    <message>
        <source>Heat map opacity</source>
        <translation>热图不透明度</translation>
    </message>
    <message>
        <source>Comment (optional)</source>
        <translation>备注（可选）</translation>
    </message>
    <message>
        <source>Review comment</source>
        <translation>审核意见</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>接受</translation>
    </message>
    <message>
        <source>Agree with this finding (signed with your name)</source>
        <translation>同意此发现（以您的姓名签署）</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Disagree with this finding (signed with your name)</source>
        <translation>不同意此发现（以您的姓名签署）</translation>
    </message>
    <message>
        <source>This finding has no box on an image to correct; reject it and say why in the comment.</source>
        <translation>此发现在图像上没有可修正的框；请拒绝并在备注中说明原因。</translation>
    </message>
    <message>
        <source>Loading findings…</source>
        <translation>正在加载发现…</translation>
    </message>
    <message>
        <source>No AI results for this study yet.</source>
        <translation>本检查尚无 AI 结果。</translation>
    </message>
    <message>
        <source>No installed model applies to this study.</source>
        <translation>没有适用于本检查的已安装模型。</translation>
    </message>
    <message>
        <source>{len} finding(s), {flagged} flagged.</source>
        <translation>{len} 个发现，{flagged} 个已标记。</translation>
    </message>
    <message>
        <source>segmentation probability map</source>
        <translation>分割概率图</translation>
    </message>
    <message>
        <source>class activation map (where the classifier looked)</source>
        <translation>类激活图（分类器关注的区域）</translation>
    </message>
    <message>
        <source>occlusion sensitivity (computed: the model has no map)</source>
        <translation>遮挡敏感性（计算得出：模型本身无热图）</translation>
    </message>
    <message>
        <source>&lt;b&gt;{label}&lt;/b&gt;: score {score:.3f}, threshold {threshold:.2f} — </source>
        <translation>&lt;b&gt;{label}&lt;/b&gt;：得分 {score:.3f}，阈值 {threshold:.2f} — </translation>
    </message>
    <message>
        <source>not flagged</source>
        <translation>未标记</translation>
    </message>
    <message>
        <source>&lt;b&gt;flagged&lt;/b&gt;</source>
        <translation>&lt;b&gt;已标记&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Model: {model_text} ({model_id})</source>
        <translation>模型：{model_text}（{model_id}）</translation>
    </message>
    <message>
        <source>Where: {where_text}</source>
        <translation>位置：{where_text}</translation>
    </message>
    <message>
        <source>Map: {method}</source>
        <translation>热图：{method}</translation>
    </message>
    <message>
        <source>On: {label}</source>
        <translation>针对：{label}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Note:&lt;/b&gt; {location_note}</source>
        <translation>&lt;b&gt;注：&lt;/b&gt;{location_note}</translation>
    </message>
    <message>
        <source>Analysed: {run_text}</source>
        <translation>分析：{run_text}</translation>
    </message>
    <message>
        <source>Ran on: {provider}</source>
        <translation>运行于：{provider}</translation>
    </message>
    <message>
        <source>Not reviewed yet.</source>
        <translation>尚未审核。</translation>
    </message>
</context>
<context>
    <name>FollowUpView</name>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>随访</translation>
    </message>
    <message>
        <source>Compare with the previous score</source>
        <translation>与上次评分比较</translation>
    </message>
    <message>
        <source>The previous stored score of the selected model, what changed since, and the lifetime risk (ages 20-59)</source>
        <translation>所选模型上次保存的评分、此后的变化，以及终生风险（20–59岁）</translation>
    </message>
    <message>
        <source>Lifetime risk: {source}.</source>
        <translation>终生风险：{source}。</translation>
    </message>
</context>
<context>
    <name>GrantRequestsDialog</name>
    <message>
        <source>Requests for access to patient data</source>
        <translation>患者数据访问申请</translation>
    </message>
    <message>
        <source>These people ask for the key to patient data. Approve only someone you expect, after they read you the key fingerprint shown on their own screen (in person or by phone). A request on an account IT just created or reset deserves a check. Your decision is recorded in the audit log.</source>
        <translation>以下人员申请患者数据密钥。请仅批准您预期的人员，并在对方（当面或电话）读出其屏幕上显示的密钥指纹后再批准。对 IT 刚创建或重置的账户提出的申请应特别核实。您的决定将记录在审计日志中。</translation>
    </message>
    <message>
        <source> · approvals {len} of {approvals_needed}</source>
        <translation> · 已批准 {len}/{approvals_needed}</translation>
    </message>
    <message>
        <source>{username} — {role_title}
asked {local_time}; account created or reset by {value}{needed}
key fingerprint: {key_fingerprint}</source>
        <translation>{username} — {role_title}
申请时间 {local_time}；账户由 {value} 创建或重置{needed}
密钥指纹：{key_fingerprint}</translation>
    </message>
    <message>
        <source>&amp;Approve</source>
        <translation>批准(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Refuse</source>
        <translation>拒绝(&amp;R)</translation>
    </message>
    <message>
        <source>Decide &amp;later</source>
        <translation>稍后决定(&amp;L)</translation>
    </message>
    <message>
        <source>approved (needs another approver)</source>
        <translation>已批准（还需另一位审批人）</translation>
    </message>
    <message>
        <source>Request not decided</source>
        <translation>申请未处理</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import patient records</source>
        <translation>导入患者病历</translation>
    </message>
    <message>
        <source>Choose FHIR R4 files (bundles, single resources or NDJSON), CSV files in the documented templates, or a Bulk Data export folder (read by its manifest). Each file is imported completely or not at all; invalid items are listed as errors, usable-but-unclassified ones as flags.</source>
        <translation>选择 FHIR R4 文件（Bundle、单个资源或 NDJSON）、符合文档模板的 CSV 文件，或 Bulk Data 导出文件夹（按其清单读取）。每个文件要么全部导入，要么完全不导入；无效条目列为错误，可用但未分类的条目列为标记。</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <source>Add export folder…</source>
        <translation>添加导出文件夹…</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Cancel import</source>
        <translation>取消导入</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Patients</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Observations</source>
        <translation>观察结果</translation>
    </message>
    <message>
        <source>Conditions</source>
        <translation>诊断</translation>
    </message>
    <message>
        <source>Medications</source>
        <translation>用药</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Flagged</source>
        <translation>已标记</translation>
    </message>
    <message>
        <source>Invalid</source>
        <translation>无效</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报告</translation>
    </message>
    <message>
        <source>Problems: a refused (invalid) item stops its file; kept-but-flagged items are stored and the flag is shown on the value.</source>
        <translation>问题：被拒绝（无效）的条目会使其文件停止导入；保留但已标记的条目会被保存，并在数值旁显示标记。</translation>
    </message>
    <message>
        <source>Choose records files</source>
        <translation>选择病历文件</translation>
    </message>
    <message>
        <source>Choose a Bulk Data export folder</source>
        <translation>选择 Bulk Data 导出文件夹</translation>
    </message>
    <message>
        <source>Import cancelled; the file being imported was rolled back (nothing of it was stored).</source>
        <translation>导入已取消；正在导入的文件已回滚（未保存任何内容）。</translation>
    </message>
    <message>
        <source>Imported {files} of {total} files: {patients} patients, {observations} observations, {conditions} conditions, {medications} medications ({medications_unclassified} unclassified), {other_resources} other resources kept as received.
Kept but flagged: {flagged}. Refused (invalid): none.</source>
        <translation>已导入 {total} 个文件中的 {files} 个：{patients} 名患者，{observations} 条观察结果，{conditions} 条诊断，{medications} 条用药（{medications_unclassified} 条未分类），{other_resources} 个其他资源按原样保存。
保留但已标记：{flagged}。拒绝（无效）：无。</translation>
    </message>
    <message>
        <source>{failed} of {total} files were refused: {invalid} invalid items are listed below; nothing of those files was stored. The other files were imported (kept but flagged: {flagged}).</source>
        <translation>{total} 个文件中有 {failed} 个被拒绝：{invalid} 个无效条目列于下方；这些文件的内容均未保存。其他文件已导入（保留但已标记：{flagged}）。</translation>
    </message>
    <message>
        <source>Import cancelled: {failed} of {total} files were not imported (the file in progress was rolled back; nothing of it was stored). The files before it were imported (kept but flagged: {flagged}).</source>
        <translation>导入已取消：{total} 个文件中有 {failed} 个未导入（正在导入的文件已回滚，未保存任何内容）。之前的文件已导入（保留但已标记：{flagged}）。</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>已导入</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source> ({n} unclassified)</source>
        <translation>（{n} 条未分类）</translation>
    </message>
    <message>
        <source>no problems</source>
        <translation>无问题</translation>
    </message>
    <message>
        <source>refused (invalid)</source>
        <translation>已拒绝（无效）</translation>
    </message>
    <message>
        <source>kept, flagged</source>
        <translation>已保留，已标记</translation>
    </message>
    <message>
        <source>{n} more invalid items</source>
        <translation>另有 {n} 个无效条目</translation>
    </message>
    <message>
        <source>{first} and {n} more</source>
        <translation>{first} 等另外 {n} 个</translation>
    </message>
    <message>
        <source>{n} more flags not listed</source>
        <translation>另有 {n} 个标记未列出</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
</context>
<context>
    <name>IntroPage</name>
    <message>
        <source>Set up clinic-app on this workstation</source>
        <translation>在此工作站上设置 clinic-app</translation>
    </message>
    <message>
        <source>No store exists yet. This creates an encrypted store here:</source>
        <translation>尚无存储。将在此处创建加密存储：</translation>
    </message>
    <message>
        <source>You will create the first IT administrator, who manages accounts, models and the audit log but never sees patient data, and (recommended) the first clinician, whose password here is temporary: they create their own keys at first sign-in. To use another location, quit and start clinic-app with --store, or ask IT to set store_dir in the site configuration.</source>
        <translation>您将创建首位 IT 管理员（管理账户、模型和审计日志，但无法查看患者数据），以及（建议）首位临床医生，其在此设置的密码为临时密码：该医生首次登录时生成自己的密钥。如需使用其他位置，请退出并以 --store 启动 clinic-app，或请 IT 在机构配置中设置 store_dir。</translation>
    </message>
</context>
<context>
    <name>KeyMap</name>
    <message>
        <source>The key “{key}” for “{help}” is not a key Qt can read.</source>
        <translation>“{help}”的按键“{key}”不是 Qt 可识别的按键。</translation>
    </message>
    <message>
        <source>The key “{key}” is bound twice: to “{help}” and to “{help2}”.</source>
        <translation>按键“{key}”被重复绑定：“{help}”和“{help2}”。</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>Cannot save the language in {path}: {reason}.</source>
        <translation>无法将语言保存到 {path}：{reason}。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The interface language is now {language}. It applies to every screen when clinic-app next starts; screens already open keep their text. Quit now?</source>
        <translation>界面语言已切换为 {language}。下次启动 clinic-app 时将应用到所有界面；已打开的界面保持原文字。现在退出吗？</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>Session locked</source>
        <extracomment>Another user signed in here; carries their (usable) Session.
----------
Called before an unlock attempt; the window uses it to make sure the keys are dropped first, so the password is always checked (unlock of an unlocked session would succeed without one).</extracomment>
        <translation>会话已锁定</translation>
    </message>
    <message>
        <source>Password for {username}</source>
        <translation>{username} 的密码</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Not {username}? Sign in as another user…</source>
        <translation>不是 {username}？以其他用户登录…</translation>
    </message>
    <message>
        <source>Sign in as another user</source>
        <translation>以其他用户登录</translation>
    </message>
    <message>
        <source>{username}&apos;s session ends when they sign in; unsaved work is not kept.</source>
        <translation>其他用户登录后，{username} 的会话将结束；未保存的工作不会保留。</translation>
    </message>
    <message>
        <source>Other user name</source>
        <translation>其他用户名</translation>
    </message>
    <message>
        <source>Other user password</source>
        <translation>其他用户密码</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>密码(&amp;W)：</translation>
    </message>
    <message>
        <source>Sign in and end this session</source>
        <translation>登录并结束此会话</translation>
    </message>
    <message>
        <source>Lock screen message</source>
        <translation>锁屏提示</translation>
    </message>
    <message>
        <source>Checking password</source>
        <translation>正在验证密码</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>{reason} Signed in: {who}. Enter the password to continue.</source>
        <translation>{reason} 当前登录：{who}。请输入密码以继续。</translation>
    </message>
    <message>
        <source>Type the password.</source>
        <translation>请输入密码。</translation>
    </message>
    <message>
        <source>Type the user name and the password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <source>The new user must choose a password before continuing.</source>
        <translation>新用户须先设置密码才能继续。</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>clinic-app — Sign in</source>
        <translation>clinic-app — 登录</translation>
    </message>
    <message>
        <source>clinic-app</source>
        <translation>clinic-app</translation>
    </message>
    <message>
        <source>Version {version__} · encrypted store at {store_dir}</source>
        <translation>版本 {version__} · 加密存储位于 {store_dir}</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Sign-in message</source>
        <translation>登录提示</translation>
    </message>
    <message>
        <source>Signing in</source>
        <translation>正在登录</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Type your user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>Type your password.</source>
        <translation>请输入密码。</translation>
    </message>
    <message>
        <source>Invalid user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>clinic-app — {username} ({role_title})</source>
        <extracomment>Another user signed in on the lock screen; carries their Session.</extracomment>
        <translation>clinic-app — {username}（{role_title}）</translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation>欢迎</translation>
    </message>
    <message>
        <source>The {title} workspace could not open: {user_message}</source>
        <translation>无法打开“{title}”工作区：{user_message}</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Lock screen</source>
        <translation>锁定屏幕(&amp;L)</translation>
    </message>
    <message>
        <source>S&amp;witch user…</source>
        <translation>切换用户(&amp;W)…</translation>
    </message>
    <message>
        <source>Change &amp;password…</source>
        <translation>修改密码(&amp;P)…</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>注销(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Light theme</source>
        <translation>浅色主题(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About clinic-app</source>
        <translation>关于 clinic-app(&amp;A)</translation>
    </message>
    <message>
        <source>Store: locked</source>
        <translation>存储：已锁定</translation>
    </message>
    <message>
        <source>Everywhere</source>
        <translation>全局</translation>
    </message>
    <message>
        <source>Password changed.</source>
        <translation>密码已修改。</translation>
    </message>
    <message>
        <source>The screen locked after {minutes:g} minutes without activity.</source>
        <translation>无操作 {minutes:g} 分钟后屏幕已锁定。</translation>
    </message>
    <message>
        <source>Another user may sign in below; this session ends when they do.</source>
        <translation>其他用户可在下方登录；登录后本会话将结束。</translation>
    </message>
    <message>
        <source>The screen is locked.</source>
        <translation>屏幕已锁定。</translation>
    </message>
</context>
<context>
    <name>MeasurementsPanel</name>
    <message>
        <source>Length</source>
        <extracomment>The list was (re)loaded: how many rows. The SR was written (its path as text). Show a measurement: (series UID, plane value, 0-based slice).</extracomment>
        <translation>长度</translation>
    </message>
    <message>
        <source>Ellipse</source>
        <translation>椭圆</translation>
    </message>
    <message>
        <source>Angle</source>
        <translation>角度</translation>
    </message>
    <message>
        <source>Arrow</source>
        <translation>箭头</translation>
    </message>
    <message>
        <source>Measurements of this study</source>
        <translation>本检查的测量</translation>
    </message>
    <message>
        <source>What</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Export SR…</source>
        <translation>导出 SR…</translation>
    </message>
    <message>
        <source>Write these measurements as a DICOM structured report</source>
        <translation>将这些测量写为 DICOM 结构化报告</translation>
    </message>
    <message>
        <source>Measuring…</source>
        <translation>正在测量…</translation>
    </message>
    <message>
        <source>No measurements on this study yet.</source>
        <translation>本检查尚无测量。</translation>
    </message>
    <message>
        <source>(arrow)</source>
        <translation>（箭头）</translation>
    </message>
    <message>
        <source>Im {n}
{plane}</source>
        <translation>图 {n}
{plane}</translation>
    </message>
    <message>
        <source>The measurements could not be listed ({kind}).</source>
        <translation>无法列出测量（{kind}）。</translation>
    </message>
    <message>
        <source>Export measurements as DICOM SR</source>
        <translation>将测量导出为 DICOM SR</translation>
    </message>
    <message>
        <source>DICOM files (*.dcm)</source>
        <translation>DICOM 文件 (*.dcm)</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation>正在写入报告…</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
</context>
<context>
    <name>ModelDetail</name>
    <message>
        <source>Inputs used</source>
        <translation>所用输入项</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入项</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Highlighted rows (marked “stale”) were measured more than {STALE_AFTER_MONTHS} months before the scoring date: they still count, but consider repeating the measurement.</source>
        <translation>高亮行（标为“过期”）的测量时间早于评分日期 {STALE_AFTER_MONTHS} 个月以上：仍计入评分，但建议复查。</translation>
    </message>
    <message>
        <source>Missing inputs</source>
        <translation>缺少的输入项</translation>
    </message>
    <message>
        <source>What would supply it</source>
        <translation>可由何处提供</translation>
    </message>
    <message>
        <source>Enter the missing values for this scoring…</source>
        <translation>为本次评分录入缺少的值…</translation>
    </message>
    <message>
        <source>Opens the what-if on this model with the missing inputs to fill in. What you enter is used for that one calculation, marked as entered by you, and is not stored in the record.</source>
        <translation>在假设分析中打开此模型，填写缺少的输入项。所录入的值仅用于这一次计算，标记为由您录入，不会保存到病历中。</translation>
    </message>
    <message>
        <source>What drives this score</source>
        <translation>影响此评分的因素</translation>
    </message>
    <message>
        <source>Model card</source>
        <translation>模型说明</translation>
    </message>
    <message>
        <source>{term}  (version {version})</source>
        <translation>{term}（版本 {version}）</translation>
    </message>
    <message>
        <source>Cannot compute</source>
        <translation>无法计算</translation>
    </message>
    <message>
        <source>Cannot compute: {reason}</source>
        <translation>无法计算：{reason}</translation>
    </message>
    <message>
        <source>Record as of {day}</source>
        <translation>病历截至 {day}</translation>
    </message>
    <message>
        <source>; computed with {provider}.</source>
        <translation>；使用 {provider} 计算。</translation>
    </message>
    <message>
        <source>Also: </source>
        <translation>另：</translation>
    </message>
    <message>
        <source>Inputs found in the record</source>
        <translation>病历中已有的输入</translation>
    </message>
    <message>
        <source>Each bar is the points that item adds to the score.</source>
        <translation>每条表示该项为评分增加的分值。</translation>
    </message>
    <message>
        <source>Not modifiable: a person with the {reference} would have a risk of {reference_risk}.
Modifiable factors: this patient&apos;s risk is {risk}, {difference} from that.</source>
        <translation>不可改变部分：具有{reference}的人风险为 {reference_risk}。
可改变因素：该患者风险为 {risk}，与之相差 {difference}。</translation>
    </message>
    <message>
        <source>percentage points of absolute risk</source>
        <translation>绝对风险百分点</translation>
    </message>
    <message>
        <source>Each bar is how much that factor adds to the risk (right) or takes away (left), against optimal values; the bars add up to the difference above. Each factor&apos;s share is averaged over every order in which the factors could be improved (Shapley values). Optimal values: {optimal_text}.</source>
        <translation>每条表示该因素相对理想水平使风险增加（向右）或降低（向左）的量；各条之和等于上述差值。各因素的贡献按所有可能的改善顺序取平均（Shapley 值）。理想值：{optimal_text}。</translation>
    </message>
    <message>
        <source>
China-PAR&apos;s publications give no optimal values of their own, so the reference person is defined the US way above; China-PAR&apos;s own coefficients compute both risks.</source>
        <translation>
China-PAR 的文献未给出其自身的理想危险因素水平，因此上述参照者按美国的定义设定；两个风险值均用 China-PAR 自身的系数计算。</translation>
    </message>
    <message>
        <source>&lt;b&gt;{escape}&lt;/b&gt;, version {escape2} (id {escape3})&lt;p&gt;&lt;b&gt;Intended use:&lt;/b&gt; {escape4}&lt;/p&gt;&lt;p&gt;&lt;b&gt;Valid input ranges:&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;{value}&lt;/ul&gt;&lt;p&gt;&lt;b&gt;References:&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;{value2}&lt;/ul&gt;</source>
        <translation>&lt;b&gt;{escape}&lt;/b&gt;，版本 {escape2}（ID {escape3}）&lt;p&gt;&lt;b&gt;适用人群：&lt;/b&gt;{escape4}&lt;/p&gt;&lt;p&gt;&lt;b&gt;有效输入范围：&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;{value}&lt;/ul&gt;&lt;p&gt;&lt;b&gt;参考文献：&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;{value2}&lt;/ul&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Demo model: not for clinical use.&lt;/b&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;演示模型：不得用于临床。&lt;/b&gt;&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>ModelsPanel</name>
    <message>
        <source>Model packages</source>
        <translation>模型包</translation>
    </message>
    <message>
        <source>&amp;Add package…</source>
        <translation>添加模型包(&amp;A)…</translation>
    </message>
    <message>
        <source>Run &amp;test vectors</source>
        <translation>运行测试向量(&amp;T)</translation>
    </message>
    <message>
        <source>Re&amp;voke approval…</source>
        <translation>撤销批准(&amp;V)…</translation>
    </message>
    <message>
        <source>&amp;Disable…</source>
        <translation>停用(&amp;D)…</translation>
    </message>
    <message>
        <source>Re&amp;load</source>
        <translation>重新加载(&amp;L)</translation>
    </message>
    <message>
        <source>Trust store and approvals</source>
        <translation>信任库与批准记录</translation>
    </message>
    <message>
        <source>Trust</source>
        <translation>信任</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>&amp;Enable…</source>
        <translation>启用(&amp;E)…</translation>
    </message>
    <message>
        <source>Trusted signing keys (ship with the app)</source>
        <translation>受信任的签名密钥（随应用提供）</translation>
    </message>
    <message>
        <source>Ed25519 public key</source>
        <translation>Ed25519 公钥</translation>
    </message>
    <message>
        <source>none installed</source>
        <translation>未安装</translation>
    </message>
    <message>
        <source>only hash-pinned or approved packages run</source>
        <translation>仅运行哈希固定或已批准的模型包</translation>
    </message>
    <message>
        <source>Hash-pinned shipped packages</source>
        <translation>哈希固定的随附模型包</translation>
    </message>
    <message>
        <source>{len} packages</source>
        <translation>{len} 个模型包</translation>
    </message>
    <message>
        <source>Unsigned packages approved by an admin</source>
        <translation>管理员批准的未签名模型包</translation>
    </message>
    <message>
        <source>by {approved_by} at {local_time}: {reason}</source>
        <translation>由 {approved_by} 于 {local_time} 批准：{reason}</translation>
    </message>
    <message>
        <source>Model added</source>
        <translation>已添加模型</translation>
    </message>
    <message>
        <source>{value} {version} is installed ({trust}) and runs on {provider_name}.</source>
        <translation>{value} {version} 已安装（{trust}），运行于 {provider_name}。</translation>
    </message>
    <message>
        <source>Verifying models</source>
        <translation>正在校验模型</translation>
    </message>
    <message>
        <source>Checking hashes and trust and running every test vector…</source>
        <translation>正在检查哈希与信任并运行全部测试向量…</translation>
    </message>
    <message>
        <source>Revoke approval</source>
        <translation>撤销批准</translation>
    </message>
    <message>
        <source>Revoke the approval of {id} {version}? The unsigned package is refused from now on, for every user.</source>
        <translation>要撤销对 {id} {version} 的批准吗？此后该未签名模型包将对所有用户拒绝运行。</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Enable model</source>
        <translation>启用模型</translation>
    </message>
    <message>
        <source>Enable {value} ({id} {version}) again? It was {disabled}. Clinicians can then score and analyse with it.</source>
        <translation>要重新启用 {value}（{id} {version}）吗？此前状态：{disabled}。启用后临床医生可使用其评分和分析。</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
</context>
<context>
    <name>NewUserDialog</name>
    <message>
        <source>New user</source>
        <translation>新用户</translation>
    </message>
    <message>
        <source>The user signs in with the temporary password and must choose their own at once; the app then creates their keys on it. A clinician&apos;s access to patient data is granted only when a clinician who has it approves their request.</source>
        <translation>该用户使用临时密码登录，并须立即设置自己的密码；本应用随后据此生成其密钥。临床医生仅在已持有患者数据访问权的临床医生批准其申请后才获得访问权。</translation>
    </message>
    <message>
        <source>Create user</source>
        <translation>创建用户</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>for example jsmith</source>
        <translation>例如 zhangsan</translation>
    </message>
    <message>
        <source>User &amp;name:</source>
        <translation>用户名(&amp;N)：</translation>
    </message>
    <message>
        <source>R&amp;ole:</source>
        <translation>角色(&amp;O)：</translation>
    </message>
    <message>
        <source>Type a user name.</source>
        <translation>请输入用户名。</translation>
    </message>
</context>
<context>
    <name>NextStepsPage</name>
    <message>
        <source>Store created: what happens next</source>
        <translation>存储已创建：后续步骤</translation>
    </message>
    <message>
        <source>The store was created with {len} account(s): {join}.</source>
        <translation>存储已创建，包含 {len} 个账户：{join}。</translation>
    </message>
    <message>
        <source>Give {join} the temporary password in person. At first sign-in they choose their own password, and the app creates their keys on it. The first clinician to sign in creates the key to patient data; any later clinician asks for access, and a clinician who has it approves after comparing the key fingerprint shown on both screens.</source>
        <translation>请当面将临时密码交给 {join}。首次登录时他们设置自己的密码，本应用据此生成其密钥。首位登录的临床医生生成患者数据密钥；之后的临床医生需申请访问，由已有访问权的临床医生在核对双方屏幕上显示的密钥指纹后批准。</translation>
    </message>
    <message>
        <source>Add a clinician next (Users). The first clinician to sign in creates the key to patient data.</source>
        <translation>下一步请添加临床医生（用户）。首位登录的临床医生将生成患者数据密钥。</translation>
    </message>
    <message>
        <source>Emergency recovery is set up by a clinician, not by IT: it is split among custodians such as the privacy officer and a clinical lead (&apos;clinic-app recovery setup&apos;), so no single person can use it.</source>
        <translation>紧急恢复由临床医生而非 IT 设置：恢复凭据分给隐私官、临床负责人等多位保管人（&apos;clinic-app recovery setup&apos;），任何单人都无法单独使用。</translation>
    </message>
</context>
<context>
    <name>OperationsPanel</name>
    <message>
        <source>Backup (encrypted; restoring it needs the same passwords)</source>
        <translation>备份（已加密；恢复时需要相同的密码）</translation>
    </message>
    <message>
        <source>/srv/backup/clinic-app</source>
        <translation>/srv/backup/clinic-app</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>Back up &amp;now</source>
        <translation>立即备份(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Schedule nightly…</source>
        <translation>设置每晚定时备份(&amp;S)…</translation>
    </message>
    <message>
        <source>Every night at</source>
        <translation>每晚时间</translation>
    </message>
    <message>
        <source>Backup folder</source>
        <translation>备份文件夹</translation>
    </message>
    <message>
        <source>Choose an absolute folder for the backup first.</source>
        <translation>请先为备份选择一个绝对路径文件夹。</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <source>Backup set {set_name} written: {blobs_total} blobs ({blobs_copied} new, {value:.1f} MB copied).</source>
        <translation>备份集 {set_name} 已写入：{blobs_total} 个数据块（新增 {blobs_copied} 个，复制 {value:.1f} MB）。</translation>
    </message>
    <message>
        <source>Backup failed: {exc}</source>
        <translation>备份失败：{exc}</translation>
    </message>
    <message>
        <source>Backup failed ({name__}); see the log.</source>
        <translation>备份失败（{name__}）；请查看日志。</translation>
    </message>
    <message>
        <source>Backing up… {d} of {t} blobs</source>
        <translation>正在备份… 第 {d}/{t} 个数据块</translation>
    </message>
    <message>
        <source>Save these two units and install them as root (Windows: a Task Scheduler task running the same command; docs/operations.md).</source>
        <translation>请保存这两个单元文件并以 root 身份安装（Windows：用任务计划程序运行相同命令；见 docs/operations.md）。</translation>
    </message>
    <message>
        <source>Unreferenced files</source>
        <translation>未被引用的文件</translation>
    </message>
    <message>
        <source>&amp;Check</source>
        <translation>检查(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Remove leftovers</source>
        <translation>删除残留文件(&amp;R)</translation>
    </message>
    <message>
        <source>would be removed</source>
        <translation>将被删除</translation>
    </message>
    <message>
        <source>{blob_files} stored files; {temp_files} leftovers of interrupted writes ({value:.1f} MB) {verb}. Files no record refers to can only be found with the clinical key: a clinician runs &apos;clinic-app store gc&apos;.</source>
        <translation>已存储 {blob_files} 个文件；中断写入的残留文件 {temp_files} 个（{value:.1f} MB）{verb}。无记录引用的文件只能用临床密钥查找：请临床医生运行 &apos;clinic-app store gc&apos;。</translation>
    </message>
    <message>
        <source>Audit forwarding</source>
        <translation>审计日志转发</translation>
    </message>
    <message>
        <source>to {audit_syslog_host}:{audit_syslog_port} (syslog over TLS)</source>
        <translation>发送至 {audit_syslog_host}:{audit_syslog_port}（基于 TLS 的 syslog）</translation>
    </message>
    <message>
        <source>not configured (site settings audit_syslog_host, audit_syslog_ca)</source>
        <translation>未配置（机构设置 audit_syslog_host、audit_syslog_ca）</translation>
    </message>
    <message>
        <source>&amp;Forward now</source>
        <translation>立即转发(&amp;F)</translation>
    </message>
    <message>
        <source>Each audit entry goes to {host}:{port} (syslog over TLS) as it is written; Forward now sends anything still queued.</source>
        <translation>每条审计记录写入时即发送至 {host}:{port}（基于 TLS 的 syslog）；“立即转发”会发送仍在队列中的记录。</translation>
    </message>
    <message>
        <source>Audit entries go {where}.</source>
        <translation>审计条目{where}。</translation>
    </message>
    <message>
        <source>Forwarded {sent} entries (up to entry {last_seq}).</source>
        <translation>已转发 {sent} 条（截至第 {last_seq} 条）。</translation>
    </message>
    <message>
        <source>{count} audit entries are queued, not yet at the collector (they are kept and sent in order): {error}</source>
        <translation>{count} 条审计记录在队列中，尚未送达收集器（将保留并按顺序发送）：{error}</translation>
    </message>
    <message>
        <source>Key to patient data</source>
        <translation>患者数据密钥</translation>
    </message>
    <message>
        <source>Why, e.g. &apos;dr.x left the practice&apos;</source>
        <translation>原因，例如：“某医生已离职”</translation>
    </message>
    <message>
        <source>Request &amp;rotation</source>
        <translation>申请轮换密钥(&amp;R)</translation>
    </message>
    <message>
        <source>Rotation in progress since {started_at} (by {started_by}).</source>
        <translation>密钥轮换进行中，自 {started_at} 起（由 {started_by} 发起）。</translation>
    </message>
    <message>
        <source>Rotation requested {requested}; a clinician who holds the key runs it.</source>
        <translation>已于 {requested} 申请轮换；由持有密钥的临床医生执行。</translation>
    </message>
    <message>
        <source>IT cannot rotate the key (it never holds it). After disabling a clinician, request a rotation; the next key holder runs it.</source>
        <translation>IT 无法轮换该密钥（IT 从不持有密钥）。停用某位临床医生后，请申请轮换；由下一位持有密钥者执行。</translation>
    </message>
</context>
<context>
    <name>OtherResults</name>
    <message>
        <source>Results from other systems</source>
        <translation>其他系统的结果</translation>
    </message>
</context>
<context>
    <name>PacsNodesPanel</name>
    <message>
        <source>Node</source>
        <extracomment>A verification ended: (node name, True if it answered).</extracomment>
        <translation>节点</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>&amp;Verify selected</source>
        <translation>验证所选(&amp;V)</translation>
    </message>
    <message>
        <source>This workstation is {pacs_ae_title}, listening on {pacs_listen_host}:{pacs_port} (site settings pacs_ae_title, pacs_listen_host, pacs_port). Register it in the PACS for C-MOVE.</source>
        <translation>本工作站为 {pacs_ae_title}，监听 {pacs_listen_host}:{pacs_port}（机构设置 pacs_ae_title、pacs_listen_host、pacs_port）。请在 PACS 中登记本机以便 C-MOVE。</translation>
    </message>
    <message>
        <source>DIMSE (AE title, host, port)</source>
        <translation>DIMSE（AE 标题、主机、端口）</translation>
    </message>
    <message>
        <source>DICOMweb (URL)</source>
        <translation>DICOMweb（URL）</translation>
    </message>
    <message>
        <source>https://pacs.example.org/dicom-web</source>
        <translation>https://pacs.example.org/dicom-web</translation>
    </message>
    <message>
        <source>&amp;Save node</source>
        <translation>保存节点(&amp;S)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>AE title</source>
        <translation>AE 标题</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>主机</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Retrieve by</source>
        <translation>获取方式</translation>
    </message>
    <message>
        <source>DICOMweb URL</source>
        <translation>DICOMweb URL</translation>
    </message>
    <message>
        <source>Authentication</source>
        <translation>身份验证</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password or token</source>
        <translation>密码或令牌</translation>
    </message>
    <message>
        <source>Add or replace a node</source>
        <translation>添加或替换节点</translation>
    </message>
    <message>
        <source>No PACS node yet: add one on the right.</source>
        <translation>尚无 PACS 节点：请在右侧添加。</translation>
    </message>
    <message>
        <source>Saved {name}. Select it and press Verify.</source>
        <translation>已保存 {name}。请选中它并点击“验证”。</translation>
    </message>
    <message>
        <source>Select a node to verify.</source>
        <translation>请选择要验证的节点。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>Answered in {ms:.0f} ms</source>
        <translation>{ms:.0f} 毫秒内响应</translation>
    </message>
    <message>
        <source>Check failed ({name__})</source>
        <translation>检查失败（{name__}）</translation>
    </message>
</context>
<context>
    <name>PacsPanel</name>
    <message>
        <source>PACS</source>
        <extracomment>A retrieve finished complete and &quot;Open when retrieved&quot; is ticked: the study&apos;s UID. Results (or priors) were shown: the number of rows. A retrieve ended (complete, incomplete or failed): the report, or None on error. The first images of a retrieve are stored: the study is in the worklist (flagged &quot;retrieving&quot;) and can be refreshed there while the rest arrives.</extracomment>
        <translation>PACS</translation>
    </message>
    <message>
        <source>Family name, or the start of it</source>
        <translation>姓氏（或其开头）</translation>
    </message>
    <message>
        <source>e.g. 2025-01-01..2025-06-30 (either end may be empty)</source>
        <translation>例如 2025-01-01..2025-06-30（任一端可为空）</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>搜索(&amp;S)</translation>
    </message>
    <message>
        <source>Patient name</source>
        <translation>患者姓名</translation>
    </message>
    <message>
        <source>Patient ID</source>
        <translation>患者 ID</translation>
    </message>
    <message>
        <source>Accession</source>
        <translation>检查号</translation>
    </message>
    <message>
        <source>Modality</source>
        <translation>模态</translation>
    </message>
    <message>
        <source>Study dates</source>
        <translation>检查日期</translation>
    </message>
    <message>
        <source>Search the PACS</source>
        <translation>搜索 PACS</translation>
    </message>
    <message>
        <source>&amp;Retrieve</source>
        <translation>获取(&amp;R)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Open when retrieved</source>
        <translation>获取后打开</translation>
    </message>
    <message>
        <source>Choose a PACS and search.</source>
        <translation>请选择 PACS 并搜索。</translation>
    </message>
    <message>
        <source>Fetch prior in background</source>
        <translation>在后台获取既往检查</translation>
    </message>
    <message>
        <source>Open a study to list its patient&apos;s priors on the PACS.</source>
        <translation>打开一项检查以列出该患者在 PACS 上的既往检查。</translation>
    </message>
    <message>
        <source>Priors of the open patient</source>
        <translation>当前患者的既往检查</translation>
    </message>
    <message>
        <source>Your role cannot search the PACS.</source>
        <translation>您的角色无法搜索 PACS。</translation>
    </message>
    <message>
        <source>No PACS is configured yet: IT adds one in the admin workspace or with &apos;clinic-app pacs nodes add&apos;.</source>
        <translation>尚未配置 PACS：由 IT 在系统管理工作区或通过 &apos;clinic-app pacs nodes add&apos; 添加。</translation>
    </message>
    <message>
        <source>Searching {node}…</source>
        <translation>正在搜索 {node}…</translation>
    </message>
    <message>
        <source>{len} stud{value} found.</source>
        <translation>找到 {len} 项检查。</translation>
    </message>
    <message>
        <source>The search failed ({name__}).</source>
        <translation>搜索失败（{name__}）。</translation>
    </message>
    <message>
        <source>Select a study to retrieve.</source>
        <translation>请选择要获取的检查。</translation>
    </message>
    <message>
        <source>A retrieve is already running; cancel it or wait.</source>
        <translation>已有获取任务在运行；请取消或等待。</translation>
    </message>
    <message>
        <source>Retrieving from {node}…</source>
        <translation>正在从 {node} 获取…</translation>
    </message>
    <message>
        <source>Cancelling… the study stays marked incomplete.</source>
        <translation>正在取消… 该检查仍标记为不完整。</translation>
    </message>
    <message>
        <source>{message}: {done} of {total} images</source>
        <translation>{message}：{done}/{total} 幅图像</translation>
    </message>
    <message>
        <source>{message}: {done} images</source>
        <translation>{message}：{done} 幅图像</translation>
    </message>
    <message>
        <source>{received} image(s) from {node}: {imported} new, {duplicates} already here, {len} not imported. </source>
        <translation>从 {node} 获取 {received} 幅图像：新增 {imported} 幅，已存在 {duplicates} 幅，未导入 {len} 幅。</translation>
    </message>
    <message>
        <source>The study is complete.</source>
        <translation>该检查已完整。</translation>
    </message>
    <message>
        <source>Cancelled: the study is marked incomplete; Retrieve again to finish it.</source>
        <translation>已取消：该检查标记为不完整；再次获取即可完成。</translation>
    </message>
    <message>
        <source>Prior fetched: </source>
        <translation>已获取既往检查：</translation>
    </message>
    <message>
        <source>The retrieve failed ({name__}).</source>
        <translation>获取失败（{name__}）。</translation>
    </message>
    <message>
        <source> The study is marked incomplete; Retrieve again to retry.</source>
        <translation> 该检查标记为不完整；请再次获取以重试。</translation>
    </message>
    <message>
        <source>Looking for priors…</source>
        <translation>正在查找既往检查…</translation>
    </message>
    <message>
        <source>{len} prior stud{value} on {node}.</source>
        <translation>{node} 上有 {len} 项既往检查。</translation>
    </message>
    <message>
        <source>Priors could not be listed ({name__}).</source>
        <translation>无法列出既往检查（{name__}）。</translation>
    </message>
    <message>
        <source>Select a prior to fetch.</source>
        <translation>请选择要获取的既往检查。</translation>
    </message>
    <message>
        <source>Fetching the prior in the background…</source>
        <translation>正在后台获取既往检查…</translation>
    </message>
</context>
<context>
    <name>PasswordField</name>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Caps Lock warning</source>
        <translation>大写锁定警告</translation>
    </message>
</context>
<context>
    <name>PatientList</name>
    <message>
        <source>Right-click to choose which score columns to show</source>
        <extracomment>The widest a score column gets (px): &quot;intermediate&quot; fits on a line. The widest the Flags column gets (px); one flag a line, the tooltip has them all. Room around a cell&apos;s text (px): the style&apos;s margins, the grid line, and in a header the sort arrow&apos;s share (the sorted column&apos;s header may elide a letter or two). Lines of text in a row: &quot;cannot&quot; / &quot;compute&quot; / why.</extracomment>
        <translation>右键单击可选择显示哪些评分列</translation>
    </message>
    <message>
        <source>Show all score columns</source>
        <translation>显示全部评分列</translation>
    </message>
</context>
<context>
    <name>PatientRow</name>
    <message>
        <source>missing inputs ({len} model{value})</source>
        <translation>缺少输入项（{len} 个模型）</translation>
    </message>
    <message>
        <source>record conflict</source>
        <translation>病历冲突</translation>
    </message>
</context>
<context>
    <name>PatientSummaryView</name>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Onset</source>
        <translation>起病</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Medication</source>
        <translation>药物</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>起始</translation>
    </message>
    <message>
        <source>Allergy</source>
        <translation>过敏</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Criticality</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>Measurement</source>
        <translation>测量</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Modality</source>
        <translation>模态</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>AI status</source>
        <translation>AI 状态</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>Active problems</source>
        <translation>现患问题</translation>
    </message>
    <message>
        <source>Allergies</source>
        <translation>过敏</translation>
    </message>
    <message>
        <source>Current medications</source>
        <translation>当前用药</translation>
    </message>
    <message>
        <source>Latest vitals and labs</source>
        <translation>最新生命体征与化验</translation>
    </message>
    <message>
        <source>Recent visits</source>
        <translation>近期就诊</translation>
    </message>
    <message>
        <source>Linked imaging studies</source>
        <translation>关联影像检查</translation>
    </message>
    <message>
        <source>MRN {mrn}</source>
        <translation>病历号 {mrn}</translation>
    </message>
    <message>
        <source>born {value}</source>
        <translation>出生日期 {value}</translation>
    </message>
    <message>
        <source>, {age} years</source>
        <translation>，{age} 岁</translation>
    </message>
    <message>
        <source>sex {sex} ({get})</source>
        <translation>性别 {sex}（{get}）</translation>
    </message>
    <message>
        <source>race {replace}</source>
        <translation>种族 {replace}</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <source>MRN issuer: {issuer}</source>
        <translation>病历号签发机构：{issuer}</translation>
    </message>
    <message>
        <source>
Record as of {day}</source>
        <translation>
病历截至 {day}</translation>
    </message>
    <message>
        <source>none recorded</source>
        <translation>无记录</translation>
    </message>
    <message>
        <source>not interpreted by any score</source>
        <translation>未被任何评分使用</translation>
    </message>
    <message>
        <source>no measurements recorded</source>
        <translation>无测量记录</translation>
    </message>
    <message>
        <source>no visits recorded</source>
        <translation>无就诊记录</translation>
    </message>
    <message>
        <source>not available</source>
        <translation>不可用</translation>
    </message>
    <message>
        <source>no linked studies</source>
        <translation>无关联检查</translation>
    </message>
</context>
<context>
    <name>PatientTableModel</name>
    <message>
        <source>Cannot compute: {reason}</source>
        <translation>无法计算：{reason}</translation>
    </message>
</context>
<context>
    <name>PhysicianWorkspace</name>
    <message>
        <source>Import records…</source>
        <translation>导入病历…</translation>
    </message>
    <message>
        <source>Recompute all scores</source>
        <translation>重新计算全部评分</translation>
    </message>
    <message>
        <source>Export risk report (PDF)…</source>
        <translation>导出风险报告（PDF）…</translation>
    </message>
    <message>
        <source>Family history…</source>
        <translation>家族史…</translation>
    </message>
    <message>
        <source>Record whether a parent or sibling had a heart attack or stroke (used by China-PAR)</source>
        <translation>记录父母或兄弟姐妹是否患过心肌梗死或卒中（China-PAR 使用）</translation>
    </message>
    <message>
        <source>Scoring %v of %m patients</source>
        <translation>正在评分：第 %v/%m 名患者</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Search name, MRN or birth date (YYYY-MM-DD)</source>
        <translation>搜索姓名、病历号或出生日期（YYYY-MM-DD）</translation>
    </message>
    <message>
        <source>Risk model to filter on</source>
        <translation>用于筛选的风险模型</translation>
    </message>
    <message>
        <source>Risk category to show</source>
        <translation>要显示的风险分层</translation>
    </message>
    <message>
        <source>Wide list</source>
        <translation>宽列表</translation>
    </message>
    <message>
        <source>Give the whole window to the patient list (every score column in view); opening a patient ends it</source>
        <translation>将整个窗口用于患者列表（显示全部评分列）；打开患者后恢复</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>for</source>
        <translation>针对</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>概要</translation>
    </message>
    <message>
        <source>Risk</source>
        <translation>风险</translation>
    </message>
    <message>
        <source>Trends</source>
        <translation>趋势</translation>
    </message>
    <message>
        <source>What-if</source>
        <translation>假设分析</translation>
    </message>
    <message>
        <source>Select a patient on the left.</source>
        <translation>请在左侧选择患者。</translation>
    </message>
    <message>
        <source>{shown} of {total} patients shown</source>
        <translation>显示 {shown}/{total} 名患者</translation>
    </message>
    <message>
        <source>load patients</source>
        <translation>加载患者</translation>
    </message>
    <message>
        <source>any model</source>
        <translation>任意模型</translation>
    </message>
    <message>
        <source>open patient</source>
        <translation>打开患者</translation>
    </message>
    <message>
        <source>Search patients</source>
        <translation>搜索患者</translation>
    </message>
</context>
<context>
    <name>RadiologyWorkspace</name>
    <message>
        <source>Import DICOM…</source>
        <extracomment>Wait this long after the selection settles before loading its thumbnails. The worklist was (re)loaded; carries the number of studies.</extracomment>
        <translation>导入 DICOM…</translation>
    </message>
    <message>
        <source>Import a folder, DICOMDIR or zip (Ctrl+I)</source>
        <translation>导入文件夹、DICOMDIR 或 zip（Ctrl+I）</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Reload the studies (F5)</source>
        <translation>重新加载检查（F5）</translation>
    </message>
    <message>
        <source>Open study</source>
        <translation>打开检查</translation>
    </message>
    <message>
        <source>Open with prior</source>
        <translation>与既往检查一起打开</translation>
    </message>
    <message>
        <source>Open the study beside the patient&apos;s previous one, scrolling linked</source>
        <translation>将本检查与患者上一次检查并排打开，联动滚动</translation>
    </message>
    <message>
        <source>Series of the selected study</source>
        <translation>所选检查的序列</translation>
    </message>
    <message>
        <source>Series of the selected study; double-click one to open it</source>
        <translation>所选检查的序列；双击打开</translation>
    </message>
    <message>
        <source>Select a study to see its series.</source>
        <translation>选择一项检查以查看其序列。</translation>
    </message>
    <message>
        <source>Worklist</source>
        <translation>工作列表</translation>
    </message>
    <message>
        <source>Viewer</source>
        <translation>阅片</translation>
    </message>
    <message>
        <source>PACS</source>
        <translation>PACS</translation>
    </message>
    <message>
        <source>Loading studies…</source>
        <translation>正在加载检查…</translation>
    </message>
    <message>
        <source>&lt;b&gt;{escape}&lt;/b&gt;&lt;br&gt;{escape2}&lt;br&gt;{escape3}&lt;br&gt;{escape4}</source>
        <translation>&lt;b&gt;{escape}&lt;/b&gt;&lt;br&gt;{escape2}&lt;br&gt;{escape3}&lt;br&gt;{escape4}</translation>
    </message>
    <message>
        <source>Viewer: {person_name}</source>
        <translation>阅片：{person_name}</translation>
    </message>
    <message>
        <source>Loading {done}/{total}</source>
        <translation>正在加载 {done}/{total}</translation>
    </message>
</context>
<context>
    <name>ReaderFiles</name>
    <message>
        <source>Your hanging protocols file cannot be read ({reason}): {path}</source>
        <translation>无法读取您的挂片协议文件（{reason}）：{path}</translation>
    </message>
</context>
<context>
    <name>RecordsService</name>
    <message>
        <source>Say why (for example “takes it for blood pressure, per the patient”): a confirmation without a reason is not recorded.</source>
        <translation>请说明原因（例如“患者自述用于降压”）：没有原因的确认不会被记录。</translation>
    </message>
    <message>
        <source>&apos;{feature}&apos; cannot be confirmed (only: {allowed}).</source>
        <translation>无法确认“{feature}”（仅可确认：{allowed}）。</translation>
    </message>
    <message>
        <source>The record settles this input for this patient: there is nothing to confirm.</source>
        <translation>该患者的病历已能确定此输入项：无需确认。</translation>
    </message>
</context>
<context>
    <name>RecoveryGrantDialog</name>
    <message>
        <source>Grant access with recovery shares</source>
        <translation>使用恢复分片授予访问权</translation>
    </message>
    <message>
        <source>Use this only when no clinician who already has access can sign in. The recovery custodians type their shares, one per line; every use is recorded as a security alert. Waiting for access: </source>
        <translation>仅在没有任何已具访问权的临床医生能够登录时使用。由恢复保管人逐行输入各自的分片；每次使用都会作为安全警报记录。等待访问权的用户：</translation>
    </message>
    <message>
        <source>Grant access</source>
        <translation>授予访问权</translation>
    </message>
    <message>
        <source>Recovery shares, one per line</source>
        <translation>恢复分片，每行一个</translation>
    </message>
    <message>
        <source>one custodian&apos;s share (20 or 33 words) per line</source>
        <translation>每行一位保管人的分片（20 或 33 个词）</translation>
    </message>
    <message>
        <source>Recovery &amp;shares:</source>
        <translation>恢复分片(&amp;S)：</translation>
    </message>
    <message>
        <source>Type the custodians&apos; shares.</source>
        <translation>请输入保管人的分片。</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <source>Their keys are destroyed: at their next sign-in they create new ones and a clinician who has access to patient data must approve them again.</source>
        <translation>其密钥将被销毁：下次登录时将生成新密钥，并须由有患者数据访问权的临床医生重新批准。</translation>
    </message>
    <message>
        <source>Change role of {username}</source>
        <translation>修改 {username} 的角色</translation>
    </message>
    <message>
        <source>Change role</source>
        <translation>修改角色</translation>
    </message>
    <message>
        <source>The role is bound into the account&apos;s keys, so changing it also sets a temporary password. </source>
        <translation>角色与账户密钥绑定，因此修改角色的同时会设置临时密码。</translation>
    </message>
    <message>
        <source>Reset password of {username}</source>
        <translation>重置 {username} 的密码</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>The user must choose a new password at their next sign-in. </source>
        <translation>该用户下次登录时必须设置新密码。</translation>
    </message>
    <message>
        <source>New r&amp;ole:</source>
        <translation>新角色(&amp;O)：</translation>
    </message>
    <message>
        <source>{username} already has that role; choose another.</source>
        <translation>{username} 已是该角色，请选择其他角色。</translation>
    </message>
</context>
<context>
    <name>ResultsActions</name>
    <message>
        <source>Modify…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Correct where this finding is (signed with your name)</source>
        <translation>修正此发现的位置（以您的姓名签署）</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Draw a finding the AI missed (signed with your name)</source>
        <translation>标出 AI 漏检的发现（以您的姓名签署）</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Write the findings and your review as DICOM (SEG, SR, key images) to a folder</source>
        <translation>将发现及您的审核以 DICOM（SEG、SR、关键图像）写入文件夹</translation>
    </message>
    <message>
        <source>Send…</source>
        <translation>发送…</translation>
    </message>
    <message>
        <source>Send the findings and your review as DICOM (SEG, SR, key images) to a PACS</source>
        <translation>将发现及您的审核以 DICOM（SEG、SR、关键图像）发送至 PACS</translation>
    </message>
    <message>
        <source>Anonymise…</source>
        <translation>匿名化…</translation>
    </message>
    <message>
        <source>Write a de-identified copy of this study for research or teaching (names, IDs and dates replaced)</source>
        <translation>写出本检查的去标识化副本，用于科研或教学（姓名、ID 和日期均已替换）</translation>
    </message>
    <message>
        <source>Modify: {label}</source>
        <translation>修改：{label}</translation>
    </message>
    <message>
        <source>Add a missed finding</source>
        <translation>添加漏检的发现</translation>
    </message>
    <message>
        <source>Export de-identified copy to folder</source>
        <translation>将去标识化副本导出到文件夹</translation>
    </message>
    <message>
        <source>De-identified copy ({len} images, as {pseudonym}) written to {folder}.</source>
        <translation>去标识化副本（{len} 幅图像，化名 {pseudonym}）已写入 {folder}。</translation>
    </message>
    <message>
        <source>Export results to folder</source>
        <translation>将结果导出到文件夹</translation>
    </message>
    <message>
        <source>Results written to {folder}: {kinds}.</source>
        <translation>结果已写入 {folder}：{kinds}。</translation>
    </message>
    <message>
        <source>No PACS is configured; IT adds one in the admin workspace.</source>
        <translation>未配置 PACS；由 IT 在系统管理工作区添加。</translation>
    </message>
    <message>
        <source>Send results</source>
        <translation>发送结果</translation>
    </message>
    <message>
        <source>Send to:</source>
        <translation>发送至：</translation>
    </message>
    <message>
        <source>, {failed} refused</source>
        <translation>，{failed} 个被拒收</translation>
    </message>
    <message>
        <source>Results sent to {node}: {sent} objects{failed}.</source>
        <translation>结果已发送至 {node}：{sent} 个对象{failed}。</translation>
    </message>
</context>
<context>
    <name>ReviewKeys</name>
    <message>
        <source>This study has no AI findings to review.</source>
        <translation>本检查没有待审核的 AI 发现。</translation>
    </message>
    <message>
        <source>Select a finding first (N: next finding).</source>
        <translation>请先选择一个发现（N：下一个发现）。</translation>
    </message>
</context>
<context>
    <name>ReviewView</name>
    <message>
        <source>{capitalize} by {reviewer} at {local_time}{note}</source>
        <extracomment>Inclusive voxel box (i, j, k) lo and hi, or None when unlocated. Outline on slice ``slice_k``: (col, row) voxel points.</extracomment>
        <translation>{reviewer} 于 {local_time} {capitalize}{note}</translation>
    </message>
</context>
<context>
    <name>RiskFollowUp</name>
    <message>
        <source>Lifetime risk: cannot compute: missing {inputs}.</source>
        <translation>终生风险：无法计算：缺少{inputs}。</translation>
    </message>
    <message>
        <source>Lifetime risk: applies to ages {low}-{high} (the patient is {age:.0f}).</source>
        <translation>终生风险：适用于 {low}–{high} 岁（该患者 {age:.0f} 岁）。</translation>
    </message>
</context>
<context>
    <name>RiskPanel</name>
    <message>
        <source>Risk models</source>
        <extracomment>model id: the physician wants to enter that model&apos;s missing inputs for one scoring</extracomment>
        <translation>风险模型</translation>
    </message>
    <message>
        <source>No risk model applies to this patient yet, or scores have not been computed: use “Recompute all scores”.</source>
        <translation>尚无适用于该患者的风险模型，或尚未计算评分：请使用“重新计算全部评分”。</translation>
    </message>
</context>
<context>
    <name>RiskService</name>
    <message>
        <source>If {value} {unit} is right, confirm it (“Use as entered” in the what-if, or send the value with its unit).</source>
        <translation>如果 {value} {unit} 正确，请确认（在假设分析中选择“按输入使用”，或连同单位一起提交该数值）。</translation>
    </message>
</context>
<context>
    <name>SaveEnteredBox</name>
    <message>
        <source>Save to the record…</source>
        <extracomment>({input name: value}, reason): the workspace saves them on a worker.</extracomment>
        <translation>保存到病历…</translation>
    </message>
    <message>
        <source>Store the values you entered as facts of the record, with your name and a reason</source>
        <translation>将您录入的数值连同您的姓名和理由保存为病历数据</translation>
    </message>
    <message>
        <source>Used for this calculation only, not saved: {values}.</source>
        <translation>仅用于本次计算，尚未保存：{values}。</translation>
    </message>
</context>
<context>
    <name>SaveEnteredDialog</name>
    <message>
        <source>Save entered values to the record</source>
        <translation>将录入的数值保存到病历</translation>
    </message>
    <message>
        <source>Save these values to the patient&apos;s record?</source>
        <translation>将这些数值保存到该患者的病历吗？</translation>
    </message>
    <message>
        <source>Where the value comes from (for example: measured in clinic today)</source>
        <translation>数值来源（例如：今日门诊测量）</translation>
    </message>
    <message>
        <source>They are stored with your name, today&apos;s date and this reason, shown as entered by you (never as an imported result), and used by every later score.</source>
        <translation>这些数值将连同您的姓名、今天的日期和此理由一并保存，显示为由您录入（绝不显示为导入的结果），并用于此后的每次评分。</translation>
    </message>
    <message>
        <source>Save to the record</source>
        <translation>保存到病历</translation>
    </message>
</context>
<context>
    <name>SeriesLoader</name>
    <message>
        <source>CURRENT</source>
        <extracomment>Decoded volumes kept for quick switching between the series of the open study. (volume, lo, hi), replaced whole by the loading thread (one attribute store, atomic under the GIL) and read by the GUI thread in the progress slot.</extracomment>
        <translation>本次</translation>
    </message>
    <message>
        <source>PRIOR</source>
        <translation>既往</translation>
    </message>
    <message>
        <source>This series has no images that can be shown.</source>
        <translation>此序列没有可显示的图像。</translation>
    </message>
    <message>
        <source>This series has {len} stack(s); stack {value} does not exist.</source>
        <translation>此序列有 {len} 个图像组；图像组 {value} 不存在。</translation>
    </message>
    <message>
        <source>The images could not be loaded.</source>
        <translation>无法加载图像。</translation>
    </message>
</context>
<context>
    <name>SeriesStrip</name>
    <message>
        <source>Series of the open study</source>
        <translation>已打开检查的序列</translation>
    </message>
</context>
<context>
    <name>SettingsPanel</name>
    <message>
        <source>These settings are IT policy for every account on this workstation. They are saved to the site configuration file and take effect the next time clinic-app starts. The usual site file is {site_config_path}; only administrators can write it. Users cannot override these keys.</source>
        <translation>这些设置是本工作站所有账户的 IT 策略，保存在机构配置文件中，下次启动 clinic-app 时生效。常用的机构配置文件为 {site_config_path}，只有管理员可写入。用户无法覆盖这些设置。</translation>
    </message>
    <message>
        <source>the per-user default</source>
        <translation>按用户的默认位置</translation>
    </message>
    <message>
        <source>none: only the models shipped with the app</source>
        <translation>无：仅使用随应用提供的模型</translation>
    </message>
    <message>
        <source> failed sign-ins</source>
        <translation> 次登录失败</translation>
    </message>
    <message>
        <source>Automatic: the GPU when it works, else the CPU</source>
        <translation>自动：GPU 可用时使用 GPU，否则使用 CPU</translation>
    </message>
    <message>
        <source>CPU only</source>
        <translation>仅 CPU</translation>
    </message>
    <message>
        <source>Allow unsigned model packages (each use is audited)</source>
        <translation>允许未签名的模型包（每次使用均记入审计）</translation>
    </message>
    <message>
        <source>&amp;Store location:</source>
        <translation>存储位置(&amp;S)：</translation>
    </message>
    <message>
        <source>Site &amp;models folder:</source>
        <translation>机构模型文件夹(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Idle lock after:</source>
        <translation>空闲锁定时间(&amp;I)：</translation>
    </message>
    <message>
        <source>&amp;Password minimum length:</source>
        <translation>密码最短长度(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Lock sign-in after:</source>
        <translation>登录锁定阈值(&amp;L)：</translation>
    </message>
    <message>
        <source>Lockout &amp;duration:</source>
        <translation>锁定时长(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;GPU preference:</source>
        <translation>GPU 偏好(&amp;G)：</translation>
    </message>
    <message>
        <source>&amp;Save site configuration…</source>
        <translation>保存机构配置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Revert to current values</source>
        <translation>恢复为当前值(&amp;R)</translation>
    </message>
    <message>
        <source>Save site configuration</source>
        <translation>保存机构配置</translation>
    </message>
    <message>
        <source>TOML (*.toml)</source>
        <translation>TOML (*.toml)</translation>
    </message>
    <message>
        <source>Replace site configuration?</source>
        <translation>替换机构配置？</translation>
    </message>
    <message>
        <source>{path} exists. Its keys not shown here are kept, but its comments are not.</source>
        <translation>{path} 已存在。此处未显示的设置项将保留，但其中的注释不会保留。</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <source>Site configuration saved</source>
        <translation>机构配置已保存</translation>
    </message>
    <message>
        <source>Saved to {path}. The new policy applies when clinic-app next starts.</source>
        <translation>已保存到 {path}。新策略在下次启动 clinic-app 时生效。</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>clinic-app — First-run setup</source>
        <translation>clinic-app — 首次运行设置</translation>
    </message>
</context>
<context>
    <name>ShellFlow</name>
    <message>
        <source>Cancel running work?</source>
        <extracomment>Emitted when the application should exit (quit, or sign-in declined). Emitted with each new main window (tests and the screenshot script use it).</extracomment>
        <translation>取消正在进行的任务？</translation>
    </message>
    <message>
        <source>Cancel work</source>
        <translation>取消任务</translation>
    </message>
</context>
<context>
    <name>SystemPanel</name>
    <message>
        <source>Not checked yet.</source>
        <translation>尚未检查。</translation>
    </message>
    <message>
        <source>&amp;Run checks</source>
        <translation>运行检查(&amp;R)</translation>
    </message>
    <message>
        <source>System information</source>
        <translation>系统信息</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Testing execution providers…</source>
        <translation>正在测试执行提供程序…</translation>
    </message>
    <message>
        <source>The checks could not run.</source>
        <translation>检查无法运行。</translation>
    </message>
    <message>
        <source>A GPU provider works: models can run on the GPU.</source>
        <translation>有可用的 GPU 提供程序：模型可在 GPU 上运行。</translation>
    </message>
    <message>
        <source>No GPU provider works here: models run on the CPU.</source>
        <translation>此处没有可用的 GPU 提供程序：模型在 CPU 上运行。</translation>
    </message>
    <message>
        <source>Execution providers (each tried in a separate process)</source>
        <translation>执行提供程序（每个在独立进程中测试）</translation>
    </message>
    <message>
        <source>does not work</source>
        <translation>不可用</translation>
    </message>
    <message>
        <source>works</source>
        <translation>可用</translation>
    </message>
    <message>
        <source>{memory_mib} MiB</source>
        <translation>{memory_mib} MiB</translation>
    </message>
    <message>
        <source>memory unknown</source>
        <translation>显存未知</translation>
    </message>
    <message>
        <source>driver {driver}</source>
        <translation>驱动 {driver}</translation>
    </message>
    <message>
        <source>none found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>nvidia-smi is not installed or reports no GPU</source>
        <translation>未安装 nvidia-smi 或未报告 GPU</translation>
    </message>
    <message>
        <source>Versions</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Store</source>
        <translation>存储</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Encrypted blobs</source>
        <translation>加密数据块</translation>
    </message>
    <message>
        <source>{blob_count} files</source>
        <translation>{blob_count} 个文件</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Log folder</source>
        <translation>日志文件夹</translation>
    </message>
    <message>
        <source>no patient data</source>
        <translation>不含患者数据</translation>
    </message>
</context>
<context>
    <name>TaskDialog</name>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>处理中</translation>
    </message>
</context>
<context>
    <name>TaskProgressDialog</name>
    <message>
        <source>Cancel</source>
        <extracomment>At most one progress signal per this many seconds (plus the last): a loop over ten thousand files must not flood the GUI thread&apos;s event queue.</extracomment>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>Terminology</name>
    <message>
        <source>no site package is installed</source>
        <translation>未安装机构术语包</translation>
    </message>
    <message>
        <source>the site package {site} is newer than the shipped {shipped}</source>
        <translation>机构术语包 {site} 比随附的 {shipped} 更新</translation>
    </message>
    <message>
        <source>IT forced the site package {site} over the shipped {shipped} ({by}, {at}): {reason}</source>
        <translation>IT 强制使用机构术语包 {site} 替代随附的 {shipped}（{by}，{at}）：{reason}</translation>
    </message>
    <message>
        <source>the site package {site} is not newer than the shipped {shipped} and no forced rollback covers it, so it is not used; install a newer one, or force this one with &apos;clinic-app terminology install FILE --allow-older --reason TEXT&apos;</source>
        <translation>机构术语包 {site} 不比随附的 {shipped} 更新，且没有强制回退记录，因此未被使用；请安装更新的版本，或用 &apos;clinic-app terminology install FILE --allow-older --reason TEXT&apos; 强制使用此版本</translation>
    </message>
    <message>
        <source>Terminology package</source>
        <translation>术语包</translation>
    </message>
    <message>
        <source>{name} changed while it was being installed; try again.</source>
        <translation>{name} 在安装过程中被更改；请重试。</translation>
    </message>
    <message>
        <source>The terminology package was copied but is not in use: {why}</source>
        <translation>术语包已复制但未启用：{why}</translation>
    </message>
</context>
<context>
    <name>TerminologyCommand</name>
    <message>
        <source>In use: {id} {version} ({source} copy), because {why}.</source>
        <translation>正在使用：{id} {version}（{source} 副本），原因：{why}。</translation>
    </message>
    <message>
        <source>Shipped copy: {version}</source>
        <translation>随附副本：{version}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Site copy: {version} (in {folder})</source>
        <translation>机构副本：{version}（位于 {folder}）</translation>
    </message>
    <message>
        <source>WARNING: the site copy is not used (see above).</source>
        <translation>警告：未使用机构副本（见上）。</translation>
    </message>
</context>
<context>
    <name>TimeChart</name>
    <message>
        <source>Jan</source>
        <extracomment>The month names pyqtgraph writes, for lupdate (context &quot;TimeChart&quot;).</extracomment>
        <translation>1月</translation>
    </message>
    <message>
        <source>Feb</source>
        <translation>2月</translation>
    </message>
    <message>
        <source>Mar</source>
        <translation>3月</translation>
    </message>
    <message>
        <source>Apr</source>
        <translation>4月</translation>
    </message>
    <message>
        <source>May</source>
        <translation>5月</translation>
    </message>
    <message>
        <source>Jun</source>
        <translation>6月</translation>
    </message>
    <message>
        <source>Jul</source>
        <translation>7月</translation>
    </message>
    <message>
        <source>Aug</source>
        <translation>8月</translation>
    </message>
    <message>
        <source>Sep</source>
        <translation>9月</translation>
    </message>
    <message>
        <source>Oct</source>
        <translation>10月</translation>
    </message>
    <message>
        <source>Nov</source>
        <translation>11月</translation>
    </message>
    <message>
        <source>Dec</source>
        <translation>12月</translation>
    </message>
    <message>
        <source>&lt;br&gt;&lt;span style=&apos;font-size:9pt&apos;&gt;{key}&lt;/span&gt;</source>
        <extracomment>The narrowest time span a chart shows (so a single point gets a readable date axis).</extracomment>
        <translation>&lt;br&gt;&lt;span style=&apos;font-size:9pt&apos;&gt;{key}&lt;/span&gt;</translation>
    </message>
    <message>
        <source>date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>No values recorded</source>
        <translation>无记录数值</translation>
    </message>
</context>
<context>
    <name>TrendsView</name>
    <message>
        <source>Risk model to recompute over time</source>
        <translation>随时间重新计算的风险模型</translation>
    </message>
    <message>
        <source>Score over time:</source>
        <translation>评分随时间变化：</translation>
    </message>
    <message>
        <source>Score recomputed as the record stood on each date</source>
        <translation>按各日期当时的病历重新计算的评分</translation>
    </message>
    <message>
        <source>% (10-year risk)</source>
        <translation>%（10年风险）</translation>
    </message>
    <message>
        <source>points / score</source>
        <translation>分值 / 评分</translation>
    </message>
    <message>
        <source>Score over time</source>
        <translation>评分随时间变化</translation>
    </message>
    <message>
        <source> and {value} more</source>
        <translation> 等另外 {value} 个</translation>
    </message>
    <message>
        <source>Could not be computed on {days}{more}: {reason}</source>
        <translation>在 {days}{more} 无法计算：{reason}</translation>
    </message>
</context>
<context>
    <name>UncertainInputsBox</name>
    <message>
        <source>Uncertain inputs</source>
        <extracomment>(input name, value, subject, reason): the workspace records it on a worker.</extracomment>
        <translation>不确定的输入项</translation>
    </message>
    <message>
        <source>{label}: uncertain. {reason}. Scored as “no” until you confirm it.</source>
        <translation>{label}：不确定。{reason}。在您确认之前按“否”计分。</translation>
    </message>
    <message>
        <source>{label}: {answer}, confirmed by {user} on {date} (“{why}”). A physician&apos;s statement, not a record fact: {reason}.</source>
        <translation>{label}：{answer}，由 {user} 于 {date} 确认（“{why}”）。此为医生陈述，并非病历事实：{reason}。</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Confirm…</source>
        <translation>确认…</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>更改…</translation>
    </message>
    <message>
        <source>Confirm {label}</source>
        <translation>确认{label}</translation>
    </message>
</context>
<context>
    <name>UnusualValueBox</name>
    <message>
        <source>Use {value} as entered</source>
        <translation>按输入使用 {value}</translation>
    </message>
</context>
<context>
    <name>UpdateRule</name>
    <message>
        <source>{what} {candidate} is not newer than the installed {installed}. An older or equal version is refused (it could bring back a withdrawn version); if this rollback is intended, re-run with {hint} (audited).</source>
        <translation>{what} {candidate} 并不比已安装的 {installed} 更新。旧版本或相同版本将被拒绝（可能恢复已撤回的版本）；如确需回退，请加 {hint} 重新运行（将记入审计）。</translation>
    </message>
</context>
<context>
    <name>UsersPanel</name>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>&amp;New user…</source>
        <translation>新建用户(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Disable</source>
        <translation>停用(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Reset password…</source>
        <translation>重置密码(&amp;R)…</translation>
    </message>
    <message>
        <source>Change r&amp;ole…</source>
        <translation>修改角色(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>解锁(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Grant with recovery shares…</source>
        <translation>使用恢复分片授权(&amp;G)…</translation>
    </message>
    <message>
        <source>Re&amp;load</source>
        <translation>重新加载(&amp;L)</translation>
    </message>
    <message>
        <source>Waiting for access to patient data: {join}. A clinician who has access approves each request after comparing key fingerprints; if none can, the recovery custodians can (“Grant with recovery shares”).</source>
        <translation>等待患者数据访问权：{join}。由已有访问权的临床医生在核对密钥指纹后逐一批准；如无人可批准，可由恢复保管人批准（“使用恢复分片授权”）。</translation>
    </message>
    <message>
        <source>&amp;Enable</source>
        <translation>启用(&amp;E)</translation>
    </message>
    <message>
        <source>User created</source>
        <translation>用户已创建</translation>
    </message>
    <message>
        <source>{username} ({role_title}) can now sign in with the temporary password, and must choose their own at once; their keys are made then. Hand the temporary password over in person.</source>
        <translation>{username}（{role_title}）现在可使用临时密码登录，并须立即设置自己的密码，届时生成其密钥。请当面交付临时密码。</translation>
    </message>
    <message>
        <source>Disable account</source>
        <translation>停用账户</translation>
    </message>
    <message>
        <source>Disable {username}? They can no longer sign in, and a clinician&apos;s stored access to patient data is revoked (a key holder must approve it again when re-enabled).</source>
        <translation>要停用 {username} 吗？该用户将无法登录，临床医生已存储的患者数据访问权将被撤销（重新启用时需由密钥持有者再次批准）。</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>enable user</source>
        <translation>启用用户</translation>
    </message>
    <message>
        <source>disable user</source>
        <translation>停用用户</translation>
    </message>
    <message>
        <source>unlock user</source>
        <translation>解锁用户</translation>
    </message>
    <message>
        <source>Access granted</source>
        <translation>已授予访问权</translation>
    </message>
    <message>
        <source>Access to patient data granted to: </source>
        <translation>已授予患者数据访问权：</translation>
    </message>
</context>
<context>
    <name>ViewerPanel</name>
    <message>
        <source>Loading…</source>
        <extracomment>A viewport needs a stack it has no display for: (StackRef, viewport index). A review key (an :class:`Action` of the findings panel) was pressed in a viewport.</extracomment>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>0  DICOM default</source>
        <translation>0  DICOM 默认</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
</context>
<context>
    <name>Viewport</name>
    <message>
        <source>Viewport {value}</source>
        <extracomment>Grid cells (row, column) of each layout.</extracomment>
        <translation>视窗 {value}</translation>
    </message>
    <message>
        <source>Slice of viewport {value}</source>
        <translation>视窗 {value} 的层面</translation>
    </message>
</context>
<context>
    <name>WhatIfPanel</name>
    <message>
        <source>Risk model for the what-if</source>
        <extracomment>(model id, overrides) — the workspace runs the service call on a worker. model id — the Estimator Plus therapy impact (models that project therapies by RR)</extracomment>
        <translation>用于假设分析的风险模型</translation>
    </message>
    <message>
        <source>Change inputs</source>
        <translation>更改输入项</translation>
    </message>
    <message>
        <source>SBP to 120 mmHg</source>
        <translation>收缩压降至 120 mmHg</translation>
    </message>
    <message>
        <source>Stop smoking</source>
        <translation>戒烟</translation>
    </message>
    <message>
        <source>Start a statin</source>
        <translation>开始他汀治疗</translation>
    </message>
    <message>
        <source>Compute what-if</source>
        <translation>计算假设结果</translation>
    </message>
    <message>
        <source>Reset to recorded</source>
        <translation>恢复为病历值</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>  (missing in the record)</source>
        <translation>  （病历中缺失）</translation>
    </message>
    <message>
        <source>Projects the risk with a moderate- or high-intensity statin and other therapies, by the relative risk reductions the ACC ASCVD Risk Estimator Plus uses (Lloyd-Jones 2017).</source>
        <translation>按 ACC ASCVD Risk Estimator Plus 采用的相对风险降低幅度（Lloyd-Jones 2017），推算使用中/高强度他汀及其他治疗后的风险。</translation>
    </message>
    <message>
        <source>{name} does not take statin therapy as an input.</source>
        <translation>{name} 不以他汀治疗作为输入项。</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Computing the therapy impact…</source>
        <translation>正在计算治疗效果…</translation>
    </message>
    <message>
        <source>Therapy impact on the 10-year risk (Estimator Plus method): now {percent_text}</source>
        <translation>治疗对10年风险的影响（Estimator Plus 方法）：当前 {percent_text}</translation>
    </message>
    <message>
        <source>With optimal risk factors: {percent_text}</source>
        <translation>危险因素处于理想水平时：{percent_text}</translation>
    </message>
    <message>
        <source>Lifetime risk (to age 95): {percent_text} ({value}; with all risk factors optimal {percent_text2})</source>
        <translation>终生风险（至95岁）：{percent_text}（{value}；全部危险因素理想时 {percent_text2}）</translation>
    </message>
    <message>
        <source>Previous: {percent_text} on {isoformat}</source>
        <translation>上次：{percent_text}（{isoformat}）</translation>
    </message>
    <message>
        <source>  {value}: {percent_text} ({value2:+.1f} percentage points){note}</source>
        <translation>  {value}：{percent_text}（{value2:+.1f} 个百分点）{note}</translation>
    </message>
    <message>
        <source>  {value}: not shown ({why})</source>
        <translation>  {value}：未显示（{why}）</translation>
    </message>
    <message>
        <source>Statin projections use LDL cholesterol {ldl:.0f} mg/dL</source>
        <translation>他汀推算使用低密度脂蛋白胆固醇 {ldl:.0f} mg/dL</translation>
    </message>
    <message>
        <source> of {isoformat}</source>
        <translation>（{isoformat}）</translation>
    </message>
    <message>
        <source>Relative risks: {source}.</source>
        <translation>相对风险：{source}。</translation>
    </message>
    <message>
        <source>Current (as recorded)
</source>
        <translation>当前（病历值）
</translation>
    </message>
    <message>
        <source>What-if (hypothetical)
</source>
        <translation>假设（推测）
</translation>
    </message>
    <message>
        <source>{input} → {value} (entered by you; not in the record)</source>
        <translation>{input} → {value}（由您录入；不在病历中）</translation>
    </message>
    <message>
        <source>{input} → {value}</source>
        <translation>{input} → {value}</translation>
    </message>
    <message>
        <source>Changed: {changes}</source>
        <translation>已更改：{changes}</translation>
    </message>
    <message>
        <source>nothing (the score as recorded)</source>
        <translation>无（按病历计算的评分）</translation>
    </message>
    <message>
        <source>{value} {unit} (confirmed as entered)</source>
        <translation>{value} {unit}（已确认按输入使用）</translation>
    </message>
</context>
<context>
    <name>WorklistView</name>
    <message>
        <source>Search name, MRN, description, accession</source>
        <translation>搜索姓名、病历号、描述、检查号</translation>
    </message>
    <message>
        <source>Search studies</source>
        <translation>搜索检查</translation>
    </message>
    <message>
        <source>From</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Studies from date</source>
        <translation>检查起始日期</translation>
    </message>
    <message>
        <source>Studies to date</source>
        <translation>检查截止日期</translation>
    </message>
    <message>
        <source>Modality</source>
        <translation>模态</translation>
    </message>
    <message>
        <source>All modalities</source>
        <translation>全部模态</translation>
    </message>
    <message>
        <source>AI status</source>
        <translation>AI 状态</translation>
    </message>
    <message>
        <source>Any AI status</source>
        <translation>任意 AI 状态</translation>
    </message>
    <message>
        <source>Studies</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>{shown} of {total}</source>
        <translation>{shown}/{total}</translation>
    </message>
    <message>
        <source>{total} studies</source>
        <translation>{total} 项检查</translation>
    </message>
</context>
<context>
    <name>_AccountFields</name>
    <message>
        <source>{who} user name</source>
        <translation>{who}用户名</translation>
    </message>
    <message>
        <source>{who} password</source>
        <translation>{who}密码</translation>
    </message>
    <message>
        <source>Repeat {who} password</source>
        <translation>再次输入{who}密码</translation>
    </message>
    <message>
        <source>User &amp;name:</source>
        <translation>用户名(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Repeat:</source>
        <translation>再次输入(&amp;R)：</translation>
    </message>
    <message>
        <source>Type a user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>The password needs at least {min_length} characters.</source>
        <translation>密码至少需要 {min_length} 个字符。</translation>
    </message>
    <message>
        <source>The two passwords are different.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>_PathEdit</name>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>选择文件夹</translation>
    </message>
</context>
<context>
    <name>_TemporaryPasswordDialog</name>
    <message>
        <source>Temporary password</source>
        <translation>临时密码</translation>
    </message>
    <message>
        <source>Repeat temporary password</source>
        <translation>再次输入临时密码</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>生成(&amp;G)</translation>
    </message>
    <message>
        <source>Make a random temporary password and show it, to hand over</source>
        <translation>生成并显示随机临时密码，以便交付</translation>
    </message>
    <message>
        <source>&amp;Temporary password:</source>
        <translation>临时密码(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Repeat:</source>
        <translation>再次输入(&amp;R)：</translation>
    </message>
    <message>
        <source>The temporary password needs at least {min_length} characters.</source>
        <translation>临时密码至少需要 {min_length} 个字符。</translation>
    </message>
    <message>
        <source>The two passwords are different.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>admin.account_dialogs</name>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
</context>
<context>
    <name>admin.audit_viewer</name>
    <message>
        <source>Any outcome</source>
        <translation>任意结果</translation>
    </message>
    <message>
        <source>Success</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Minor failure</source>
        <translation>轻微失败</translation>
    </message>
    <message>
        <source>Serious failure</source>
        <translation>严重失败</translation>
    </message>
    <message>
        <source>Major failure</source>
        <translation>重大失败</translation>
    </message>
    <message>
        <source>Time (local)</source>
        <translation>时间（本地）</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Study</source>
        <translation>检查</translation>
    </message>
</context>
<context>
    <name>admin.models_view</name>
    <message>
        <source>DEMO: not for clinical use</source>
        <translation>演示：不得用于临床</translation>
    </message>
    <message>
        <source>enabled</source>
        <extracomment>Words the model registry writes (trust, origin, state), for lupdate; shown with _word.</extracomment>
        <translation>已启用</translation>
    </message>
    <message>
        <source>verified</source>
        <translation>已校验</translation>
    </message>
    <message>
        <source>shipped with the app (hash-pinned)</source>
        <translation>随应用提供（哈希锁定）</translation>
    </message>
    <message>
        <source>unsigned, approved by an admin</source>
        <translation>未签名，经管理员批准</translation>
    </message>
    <message>
        <source>unsigned, allowed by site policy</source>
        <translation>未签名，按机构策略允许</translation>
    </message>
    <message>
        <source>shipped</source>
        <translation>随应用提供</translation>
    </message>
    <message>
        <source>site</source>
        <translation>机构</translation>
    </message>
    <message>
        <source>runs when a clinician scores or analyses</source>
        <translation>在临床医生评分或分析时运行</translation>
    </message>
    <message>
        <source>{disabled}{why}. Nothing runs it until an admin enables it.</source>
        <translation>{disabled}{why}。在管理员启用前不会运行。</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>演示</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Verification</source>
        <translation>校验</translation>
    </message>
    <message>
        <source>verified when scanned; not loaded</source>
        <translation>扫描时已校验；未加载</translation>
    </message>
    <message>
        <source>hashes and trust checked when loaded</source>
        <translation>加载时检查哈希与信任</translation>
    </message>
    <message>
        <source>Signature / trust</source>
        <translation>签名 / 信任</translation>
    </message>
    <message>
        <source>Runs on</source>
        <translation>运行于</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>From</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Model verification</source>
        <translation>模型校验</translation>
    </message>
    <message>
        <source>{value} of {value2} packages passed (hashes, trust and every test vector).</source>
        <translation>{value2} 个模型包中 {value} 个通过（哈希、信任及全部测试向量）。</translation>
    </message>
    <message>
        <source> {skipped} disabled, not checked.</source>
        <translation> {skipped} 个已停用，未检查。</translation>
    </message>
    <message>
        <source>No model packages are installed.</source>
        <translation>未安装任何模型包。</translation>
    </message>
    <message>
        <source>Package / test vector</source>
        <translation>模型包 / 测试向量</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>{trust}; runs on {value}</source>
        <translation>{trust}；运行于 {value}</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>admin.users</name>
    <message>
        <source>active</source>
        <extracomment>The states the account service reports, as the table shows them.</extracomment>
        <translation>启用</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>held</source>
        <translation>已持有</translation>
    </message>
    <message>
        <source>pending grant</source>
        <translation>待授权</translation>
    </message>
    <message>
        <source>awaiting first sign-in</source>
        <translation>等待首次登录</translation>
    </message>
    <message>
        <source>none (admin)</source>
        <translation>无（管理员）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>locked out</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <source>Patient-data key</source>
        <translation>患者数据密钥</translation>
    </message>
    <message>
        <source>Password change due</source>
        <translation>需修改密码</translation>
    </message>
    <message>
        <source>Locked until</source>
        <translation>锁定至</translation>
    </message>
    <message>
        <source>Last sign-in</source>
        <translation>最近登录</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>{local_time} by {created_by}</source>
        <translation>{local_time}，由 {created_by} 创建</translation>
    </message>
    <message>
        <source>Users: new user</source>
        <translation>用户：新建用户</translation>
    </message>
    <message>
        <source>Users / Audit log: reload</source>
        <translation>用户 / 审计日志：重新加载</translation>
    </message>
</context>
<context>
    <name>admin.workspace</name>
    <message>
        <source>Administration</source>
        <translation>系统管理</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>There is no display to open the desktop app on (DISPLAY and WAYLAND_DISPLAY are unset). Start it from a desktop session, or use the command-line commands (&apos;clinic-app --help&apos;); &apos;clinic-app --self-test&apos; checks an installation.</source>
        <translation>没有可用于打开桌面应用的显示（未设置 DISPLAY 和 WAYLAND_DISPLAY）。请在桌面会话中启动，或使用命令行命令（&apos;clinic-app --help&apos;）；&apos;clinic-app --self-test&apos; 可检查安装。</translation>
    </message>
</context>
<context>
    <name>argparse</name>
    <message>
        <source>usage: </source>
        <translation>用法：</translation>
    </message>
    <message>
        <source>positional arguments</source>
        <translation>位置参数</translation>
    </message>
    <message>
        <source>options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>show this help message and exit</source>
        <translation>显示此帮助信息并退出</translation>
    </message>
    <message>
        <source>show program&apos;s version number and exit</source>
        <translation>显示程序版本号并退出</translation>
    </message>
    <message>
        <source>%(prog)s: error: %(message)s
</source>
        <translation>%(prog)s：错误：%(message)s
</translation>
    </message>
    <message>
        <source>the following arguments are required: %s</source>
        <translation>缺少以下必需参数：%s</translation>
    </message>
    <message>
        <source>unrecognized arguments: %s</source>
        <translation>无法识别的参数：%s</translation>
    </message>
    <message>
        <source>invalid choice: %(value)r (choose from %(choices)s)</source>
        <translation>无效的选项：%(value)r（可选：%(choices)s）</translation>
    </message>
    <message>
        <source>argument %(argument_name)s: %(message)s</source>
        <translation>参数 %(argument_name)s：%(message)s</translation>
    </message>
    <message>
        <source>expected one argument</source>
        <translation>需要一个参数值</translation>
    </message>
    <message>
        <source>invalid %(type)s value: %(value)r</source>
        <translation>无效的 %(type)s 值：%(value)r</translation>
    </message>
    <message>
        <source>ambiguous option: %(option)s could match %(matches)s</source>
        <translation>选项不明确：%(option)s 可匹配 %(matches)s</translation>
    </message>
    <message>
        <source>not allowed with argument %s</source>
        <translation>不能与参数 %s 同时使用</translation>
    </message>
    <message>
        <source>one of the arguments %s is required</source>
        <translation>必须给出参数 %s 之一</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>Desktop clinician assistant. With no command, opens the desktop app.</source>
        <extracomment>Modules under clinic_app.cli that add subcommands (each has ``register(subparsers)``). Start-up (issue 16): the modules a command&apos;s parser needs, so that a call imports only those (with what they import) instead of every command&apos;s services. A command missing here still works: the full parser is built. List every module that adds to a command. Top-level options that take a value (so the value is not mistaken for the command).</extracomment>
        <translation>临床医生桌面助手。不带命令时打开桌面应用。</translation>
    </message>
    <message>
        <source>store folder (default: $CLINIC_APP_STORE, then the platform data dir)</source>
        <translation>存储文件夹（默认：$CLINIC_APP_STORE，其次为平台数据目录）</translation>
    </message>
    <message>
        <source>check codecs, models, crypto, Qt and the store location; exit non-zero on failure</source>
        <translation>检查编解码器、模型、加密、Qt 和存储位置；失败时以非零状态退出</translation>
    </message>
    <message>
        <source>with --self-test: print the report as JSON</source>
        <translation>与 --self-test 一起使用：以 JSON 输出报告</translation>
    </message>
    <message>
        <source>log debug detail to the log file</source>
        <translation>将调试详情写入日志文件</translation>
    </message>
    <message>
        <source>interface language for this run: en or zh_CN (default: $CLINIC_APP_LANG, then the user&apos;s and the site&apos;s &apos;language&apos; setting)</source>
        <translation>本次运行的界面语言：en 或 zh_CN（默认：$CLINIC_APP_LANG，其次为用户和机构的 &apos;language&apos; 设置）</translation>
    </message>
    <message>
        <source>clinic-app {version__}</source>
        <translation>clinic-app {version__}</translation>
    </message>
    <message>
        <source>clinic-app: {exc}</source>
        <translation>clinic-app：{exc}</translation>
    </message>
    <message>
        <source>clinic-app: interrupted; nothing partial was kept.</source>
        <translation>clinic-app：已中断；未保留任何部分结果。</translation>
    </message>
    <message>
        <source>the log folder</source>
        <translation>日志文件夹</translation>
    </message>
    <message>
        <source>clinic-app: internal error ({kind}); details are in the log at {where}. Please report it to IT.</source>
        <translation>clinic-app：内部错误（{kind}）；详情见日志 {where}。请报告 IT。</translation>
    </message>
    <message>
        <source>expected NAME:ROLE, got {text!r}</source>
        <translation>应为 NAME:ROLE，实际为 {text!r}</translation>
    </message>
    <message>
        <source>the person running the command</source>
        <translation>执行命令的人</translation>
    </message>
    <message>
        <source>read passwords from stdin, one per line (acting user&apos;s first)</source>
        <translation>从标准输入读取密码，每行一个（执行用户的密码在前）</translation>
    </message>
    <message>
        <source>create a new store with its first admin (and clinicians)</source>
        <translation>创建新存储及其首位管理员（和临床医生）</translation>
    </message>
    <message>
        <source>an initial clinician (radiologist or physician); repeatable</source>
        <translation>初始临床医生（radiologist 或 physician）；可重复</translation>
    </message>
    <message>
        <source>read the admin&apos;s then each clinician&apos;s password from stdin</source>
        <translation>从标准输入依次读取管理员和各临床医生的密码</translation>
    </message>
    <message>
        <source>change your password (line 1 current, line 2 new)</source>
        <translation>修改您的密码（第 1 行为当前密码，第 2 行为新密码）</translation>
    </message>
    <message>
        <source>manage accounts (admin)</source>
        <translation>管理账户（管理员）</translation>
    </message>
    <message>
        <source>create an account (line 2: its initial password)</source>
        <translation>创建账户（第 2 行：其初始密码）</translation>
    </message>
    <message>
        <source>list accounts with grant and lockout state</source>
        <translation>列出账户及其授权和锁定状态</translation>
    </message>
    <message>
        <source>{name} an account</source>
        <translation>{name}账户</translation>
    </message>
    <message>
        <source>set a temporary password (line 2); forces a change</source>
        <translation>设置临时密码（第 2 行）；强制修改</translation>
    </message>
    <message>
        <source>also change the account&apos;s role</source>
        <translation>同时修改账户角色</translation>
    </message>
    <message>
        <source>clear a lockout before it times out</source>
        <translation>在锁定到期前解除锁定</translation>
    </message>
    <message>
        <source>emergency access split among custodians</source>
        <translation>分给多位保管人的紧急访问</translation>
    </message>
    <message>
        <source>split a new recovery secret among named custodians (a key-holding clinician; shares are shown once)</source>
        <translation>将新的恢复密钥分给指定保管人（由持有密钥的临床医生执行；分片只显示一次）</translation>
    </message>
    <message>
        <source>a person who keeps one share (repeat for each; at least two)</source>
        <translation>保管一个分片的人（每人重复一次；至少两人）</translation>
    </message>
    <message>
        <source>shares needed to use recovery (default 2)</source>
        <translation>使用恢复所需的分片数（默认 2）</translation>
    </message>
    <message>
        <source>approve every pending clinical-key grant with custodians&apos; shares</source>
        <translation>用保管人的分片批准所有待处理的临床密钥授权</translation>
    </message>
    <message>
        <source>read the custodians&apos; shares from stdin, one per line</source>
        <translation>从标准输入读取保管人的分片，每行一个</translation>
    </message>
    <message>
        <source>Password for admin {admin}: </source>
        <translation>管理员 {admin} 的密码：</translation>
    </message>
    <message>
        <source>Password for {name}: </source>
        <translation>{name} 的密码：</translation>
    </message>
    <message>
        <source>Created store at {store_dir} with users: {join}</source>
        <translation>已在 {store_dir} 创建存储，用户：{join}</translation>
    </message>
    <message>
        <source>Clinicians created here set their own password at first sign-in (&apos;clinic-app passwd&apos;); the first to do so creates the clinical key, the others ask a key holder to approve their grant.</source>
        <translation>在此创建的临床医生在首次登录时设置自己的密码（&apos;clinic-app passwd&apos;）；第一位设置者生成临床密钥，其他人请密钥持有者批准授权申请。</translation>
    </message>
    <message>
        <source>Recovery is set up later by a clinician, split among custodians (&apos;clinic-app recovery setup&apos;); it is never shown to IT.</source>
        <translation>恢复凭据稍后由临床医生设置，并分给多位保管人（&apos;clinic-app recovery setup&apos;）；永远不会向 IT 显示。</translation>
    </message>
    <message>
        <source>New password: </source>
        <translation>新密码：</translation>
    </message>
    <message>
        <source>Password changed.</source>
        <translation>密码已修改。</translation>
    </message>
    <message>
        <source>Your own key pair was created. Key fingerprint: {fingerprint}</source>
        <translation>已生成您自己的密钥对。密钥指纹：{fingerprint}</translation>
    </message>
    <message>
        <source>You created the clinical key.</source>
        <translation>您已生成临床密钥。</translation>
    </message>
    <message>
        <source>A grant request was filed: a clinician who holds the clinical key approves it (&apos;clinic-app users approve&apos;); read them this fingerprint to compare.</source>
        <translation>已提交授权申请：由持有临床密钥的临床医生批准（&apos;clinic-app users approve&apos;）；请向其读出此指纹以便核对。</translation>
    </message>
    <message>
        <source>Initial password for {name}: </source>
        <translation>{name} 的初始密码：</translation>
    </message>
    <message>
        <source>Created {username} ({role}); they must change the password at first sign-in.</source>
        <translation>已创建 {username}（{role}）；该用户首次登录时必须修改密码。</translation>
    </message>
    <message>
        <source>At first sign-in they create their own keys and ask for a grant, which a key-holding clinician approves (&apos;clinic-app users approve&apos;).</source>
        <translation>首次登录时该用户生成自己的密钥并申请授权，由持有密钥的临床医生批准（&apos;clinic-app users approve&apos;）。</translation>
    </message>
    <message>
        <source>{username} is now {status}.</source>
        <translation>{username} 当前状态：{status}。</translation>
    </message>
    <message>
        <source>Temporary password for {name}: </source>
        <translation>{name} 的临时密码：</translation>
    </message>
    <message>
        <source>Reset {username} ({role}); they must change the password at next sign-in.</source>
        <translation>已重置 {username}（{role}）；该用户下次登录时必须修改密码。</translation>
    </message>
    <message>
        <source>Their old keys were destroyed; after signing in they ask for a new grant (&apos;clinic-app users approve&apos; by a key holder, or &apos;clinic-app recovery grant&apos;).</source>
        <translation>其旧密钥已销毁；登录后需重新申请授权（由密钥持有者运行 &apos;clinic-app users approve&apos;，或使用 &apos;clinic-app recovery grant&apos;）。</translation>
    </message>
    <message>
        <source>{name} is unlocked.</source>
        <translation>{name} 已解锁。</translation>
    </message>
    <message>
        <source>Recovery split among {len} custodians; any {threshold} of them can together approve grants in an emergency. Give each person ONLY their own share, on paper; they are not shown again:</source>
        <translation>恢复凭据已分给 {len} 位保管人；紧急情况下其中任意 {threshold} 位可共同批准授权。请只把每人自己的分片以纸质形式交给本人；分片不会再次显示：</translation>
    </message>
    <message>
        <source>No terminal to ask for the shares; use --code-stdin.</source>
        <translation>没有可用于输入分片的终端；请使用 --code-stdin。</translation>
    </message>
    <message>
        <source>Share {value} (empty line to finish): </source>
        <translation>分片 {value}（空行结束）：</translation>
    </message>
    <message>
        <source>Recovery shares used (recorded in the audit log as a security alert).</source>
        <translation>已使用恢复分片（作为安全警报记录在审计日志中）。</translation>
    </message>
    <message>
        <source>Grants completed: {value}</source>
        <translation>已完成授权：{value}</translation>
    </message>
    <message>
        <source>none were pending</source>
        <translation>无待处理的申请</translation>
    </message>
    <message>
        <source>DEMO MODEL: NOT FOR CLINICAL USE (trained on synthetic data)</source>
        <translation>演示模型：不得用于临床（基于合成数据训练）</translation>
    </message>
    <message>
        <source>run imaging AI models on a study and store the findings (radiologist)</source>
        <translation>对检查运行影像 AI 模型并保存发现（放射科医生）</translation>
    </message>
    <message>
        <source>Runs the model given (or every installed imaging model that accepts one of the study&apos;s series), stores findings and heatmaps encrypted, and prints them with the model version and the execution provider actually used. A refusal or an interruption stores nothing.</source>
        <translation>运行指定模型（或所有接受本检查某一序列的已安装影像模型），加密保存发现和热图，并连同模型版本和实际使用的执行提供程序一起输出。被拒绝或中断时不保存任何内容。</translation>
    </message>
    <message>
        <source>only this model (default: every applicable one)</source>
        <translation>仅此模型（默认：所有适用模型）</translation>
    </message>
    <message>
        <source>print one JSON object</source>
        <translation>输出一个 JSON 对象</translation>
    </message>
    <message>
        <source>a study&apos;s current AI findings with review status</source>
        <translation>检查当前的 AI 发现及审核状态</translation>
    </message>
    <message>
        <source>accept, reject or modify an AI finding (radiologist, audited)</source>
        <translation>接受、拒绝或修改 AI 发现（放射科医生，记入审计）</translation>
    </message>
    <message>
        <source>with &apos;modified&apos;: the corrected box, first and last pixel column and row</source>
        <translation>与 &apos;modified&apos; 一起使用：修正后的框，首末像素的列和行</translation>
    </message>
    <message>
        <source>with &apos;modified&apos;: the slice the box is on (default: the finding&apos;s)</source>
        <translation>与 &apos;modified&apos; 一起使用：框所在层面（默认：发现所在层面）</translation>
    </message>
    <message>
        <source>free text kept with the review</source>
        <translation>随审核保存的自由文本</translation>
    </message>
    <message>
        <source>print the finding as JSON</source>
        <translation>以 JSON 输出发现</translation>
    </message>
    <message>
        <source>{model_id} {version} on {provider}: {len} finding(s), {flagged} flagged (total {value:.2f} s, network {value2:.2f} s)</source>
        <translation>{model_id} {version}（{provider}）：{len} 个发现，{flagged} 个已标记（总计 {value:.2f} 秒，网络 {value2:.2f} 秒）</translation>
    </message>
    <message>
        <source>No AI findings stored for this study; run &apos;clinic-app analyze STUDY_UID&apos;.</source>
        <translation>此检查没有已保存的 AI 发现；请运行 &apos;clinic-app analyze STUDY_UID&apos;。</translation>
    </message>
    <message>
        <source>&apos;modified&apos; needs --bbox COL1,ROW1,COL2,ROW2 (and takes --slice); &apos;accepted&apos; and &apos;rejected&apos; take neither.</source>
        <translation>&apos;modified&apos; 需要 --bbox COL1,ROW1,COL2,ROW2（可加 --slice）；&apos;accepted&apos; 和 &apos;rejected&apos; 两者都不接受。</translation>
    </message>
    <message>
        <source>Finding {id} ({label}, {model_id} {model_version}) {decision} by {user} at {reviewed_at}.</source>
        <translation>发现 {id}（{label}，{model_id} {model_version}）由 {user} 于 {reviewed_at} 审核：{decision}。</translation>
    </message>
    <message>
        <source>--bbox takes four whole numbers: COL1,ROW1,COL2,ROW2.</source>
        <translation>--bbox 需要四个整数：COL1,ROW1,COL2,ROW2。</translation>
    </message>
    <message>
        <source>{decision} by {user} at {reviewed_at}</source>
        <translation>{user} 于 {reviewed_at} 审核：{decision}</translation>
    </message>
    <message>
        <source>size unknown (no pixel spacing)</source>
        <translation>大小未知（无像素间距）</translation>
    </message>
    <message>
        <source>≈{diameter_mm:.1f} mm</source>
        <translation>≈{diameter_mm:.1f} mm</translation>
    </message>
    <message>
        <source>{volume_ml:.2f} mL</source>
        <translation>{volume_ml:.2f} mL</translation>
    </message>
    <message>
        <source> (approximate: slices {slice_mm:g} mm apart)</source>
        <translation>（近似值：层间距 {slice_mm:g} mm）</translation>
    </message>
    <message>
        <source> (at the edge of the series)</source>
        <translation>（位于序列边缘）</translation>
    </message>
    <message>
        <source>verify or export the tamper-evident audit log (admin)</source>
        <translation>校验或导出防篡改审计日志（管理员）</translation>
    </message>
    <message>
        <source>walk the HMAC chain and name the first bad entry</source>
        <translation>逐条校验 HMAC 链并指出第一个错误条目</translation>
    </message>
    <message>
        <source>also prove the log extends the checkpoint in an earlier JSON export</source>
        <translation>同时证明日志是早先 JSON 导出中检查点的延续</translation>
    </message>
    <message>
        <source>export entries as JSON or CSV (spreadsheet-safe)</source>
        <translation>以 JSON 或 CSV（电子表格安全）导出条目</translation>
    </message>
    <message>
        <source>file to write (default: standard output)</source>
        <translation>要写入的文件（默认：标准输出）</translation>
    </message>
    <message>
        <source>send new entries to the site&apos;s audit repository (syslog-TLS)</source>
        <translation>将新条目发送到机构审计库（syslog-TLS）</translation>
    </message>
    <message>
        <source>Cannot read {against}: {strerror}.</source>
        <translation>无法读取 {against}：{strerror}。</translation>
    </message>
    <message>
        <source> Preserve the store files and tell the privacy officer.</source>
        <translation> 请保留存储文件并通知隐私官。</translation>
    </message>
    <message>
        <source>The log extends the checkpoint in {against}.</source>
        <translation>日志是 {against} 中检查点的延续。</translation>
    </message>
    <message>
        <source>--out {out} is a folder; give a file name.</source>
        <translation>--out {out} 是文件夹；请给出文件名。</translation>
    </message>
    <message>
        <source>Cannot write {out}: {strerror}.</source>
        <translation>无法写入 {out}：{strerror}。</translation>
    </message>
    <message>
        <source>Wrote {out}</source>
        <translation>已写入 {out}</translation>
    </message>
    <message>
        <source>Forwarded {sent} audit entries (up to entry {last_seq}).</source>
        <translation>已转发 {sent} 条审计记录（截至第 {last_seq} 条）。</translation>
    </message>
    <message>
        <source>build a demo store with synthetic patients, images and AI results, and open it</source>
        <translation>构建含合成患者、图像和 AI 结果的演示存储并打开</translation>
    </message>
    <message>
        <source>Build a demo store (demo users for each role, a synthetic cohort with records, CT and CR studies with AI findings) and open the desktop app on it. The demo passwords are printed; nothing in it is real.</source>
        <translation>构建演示存储（每种角色的演示用户、含病历的合成队列、带 AI 发现的 CT 和 CR 检查）并在其上打开桌面应用。会输出演示密码；其中内容均非真实。</translation>
    </message>
    <message>
        <source>demo store folder (default: &apos;demo-store&apos; beside the default store)</source>
        <translation>演示存储文件夹（默认：默认存储旁的 &apos;demo-store&apos;）</translation>
    </message>
    <message>
        <source>only build the store and print how to sign in</source>
        <translation>仅构建存储并输出登录方式</translation>
    </message>
    <message>
        <source>delete an existing demo store and build it again</source>
        <translation>删除现有演示存储并重新构建</translation>
    </message>
    <message>
        <source>Built in {seconds:.0f} s: {patients} patients, {studies} studies, {flagged} flagged AI finding(s).</source>
        <translation>用时 {seconds:.0f} 秒构建完成：{patients} 名患者，{studies} 项检查，{flagged} 个已标记的 AI 发现。</translation>
    </message>
    <message>
        <source>
Open it with:  clinic-app demo --store {store}</source>
        <translation>
打开方式：  clinic-app demo --store {store}</translation>
    </message>
    <message>
        <source>
The desktop app cannot start here ({exc}). Use the CLI with --store {store}.</source>
        <translation>
桌面应用无法在此启动（{exc}）。请使用命令行并加 --store {store}。</translation>
    </message>
    <message>
        <source>write results or de-identified copies to a folder</source>
        <translation>将结果或去标识化副本写入文件夹</translation>
    </message>
    <message>
        <source>AI findings and reviews as DICOM SEG, SR and KO (radiologist)</source>
        <translation>将 AI 发现和审核写为 DICOM SEG、SR 和 KO（放射科医生）</translation>
    </message>
    <message>
        <source>Writes a SEG per AI run with segmentations, a structured report (TID 1500) per series with every finding and its review, and a key-image note. Never overwrites a file; audited.</source>
        <translation>每次 AI 运行写出一个含分割的 SEG，每个序列写出一份含全部发现及其审核的结构化报告（TID 1500），以及一份关键图像说明。从不覆盖文件；记入审计。</translation>
    </message>
    <message>
        <source>print the files written as JSON</source>
        <translation>以 JSON 输出已写入的文件</translation>
    </message>
    <message>
        <source>a de-identified copy of a study or a patient (clinicians, audited)</source>
        <translation>检查或患者的去标识化副本（临床医生，记入审计）</translation>
    </message>
    <message>
        <source>DICOM PS3.15 Basic Profile with Retain Longitudinal Temporal Information (Modified Dates) and Clean Descriptors; consistent pseudonyms and date shifts per patient; the patient&apos;s record as a FHIR Bundle. Images that may carry burned-in text are refused unless --allow-burned-in.</source>
        <translation>DICOM PS3.15 基本配置，含“保留纵向时间信息（修改日期）”和“清理描述”选项；每位患者使用一致的化名和日期偏移；患者病历以 FHIR Bundle 输出。可能含嵌入文字的图像将被拒绝，除非加 --allow-burned-in。</translation>
    </message>
    <message>
        <source>every study and the record of this patient</source>
        <translation>该患者的全部检查和病历</translation>
    </message>
    <message>
        <source>with --patient: the MRN&apos;s issuer, when several share it</source>
        <translation>与 --patient 一起使用：多个机构共用该病历号时的签发机构</translation>
    </message>
    <message>
        <source>export images that may have text burned into the pixels (you have checked that they do not)</source>
        <translation>导出可能在像素中嵌入文字的图像（您已确认没有）</translation>
    </message>
    <message>
        <source>print what was written as JSON</source>
        <translation>以 JSON 输出已写入的内容</translation>
    </message>
    <message>
        <source>Note: {note}</source>
        <translation>注：{note}</translation>
    </message>
    <message>
        <source>Give a STUDY_UID or --patient MRN (one of them).</source>
        <translation>请给出 STUDY_UID 或 --patient MRN（二选一）。</translation>
    </message>
    <message>
        <source>{len} image(s) of {studies} study(ies) written to {to} as {pseudonym}</source>
        <translation>{studies} 项检查的 {len} 幅图像已以化名 {pseudonym} 写入 {to}</translation>
    </message>
    <message>
        <source>, with the record as FHIR</source>
        <translation>，并附 FHIR 格式病历</translation>
    </message>
    <message>
        <source>list pending clinical-key grant requests</source>
        <translation>列出待处理的临床密钥授权申请</translation>
    </message>
    <message>
        <source>approve a grant request (a key-holding clinician); compare the fingerprint with the requester&apos;s first</source>
        <translation>批准授权申请（由持有密钥的临床医生执行）；请先与申请人核对指纹</translation>
    </message>
    <message>
        <source>refuse a grant request</source>
        <translation>拒绝授权申请</translation>
    </message>
    <message>
        <source>recorded in the audit log</source>
        <translation>记录在审计日志中</translation>
    </message>
    <message>
        <source>Your own key fingerprint: {mine}</source>
        <translation>您的密钥指纹：{mine}</translation>
    </message>
    <message>
        <source>Approved {name}&apos;s grant request.</source>
        <translation>已批准 {name} 的授权申请。</translation>
    </message>
    <message>
        <source> They hold the clinical key from their next sign-in.</source>
        <translation> 该用户下次登录时即持有临床密钥。</translation>
    </message>
    <message>
        <source> Site policy needs another key holder&apos;s approval before the key is granted.</source>
        <translation> 按机构策略，还需另一位密钥持有者批准才会授予密钥。</translation>
    </message>
    <message>
        <source>Refused {name}&apos;s grant request (recorded in the audit log).</source>
        <translation>已拒绝 {name} 的授权申请（已记录在审计日志中）。</translation>
    </message>
    <message>
        <source>import data into the encrypted store</source>
        <translation>将数据导入加密存储</translation>
    </message>
    <message>
        <source>import DICOM files, folders, DICOMDIR media or zip archives (radiologist)</source>
        <translation>导入 DICOM 文件、文件夹、DICOMDIR 介质或 zip 压缩包（放射科医生）</translation>
    </message>
    <message>
        <source>Import DICOM instances into the encrypted store. Exits 0 even when some files were skipped (they are listed with the reason); non-zero only if nothing could be processed or the store failed.</source>
        <translation>将 DICOM 实例导入加密存储。即使跳过部分文件也以 0 退出（会列出原因）；仅在无法处理任何内容或存储出错时以非零退出。</translation>
    </message>
    <message>
        <source>file, folder (recursive), DICOMDIR or .zip</source>
        <translation>文件、文件夹（递归）、DICOMDIR 或 .zip</translation>
    </message>
    <message>
        <source>list and show imported DICOM studies</source>
        <translation>列出并显示已导入的 DICOM 检查</translation>
    </message>
    <message>
        <source>list studies, newest first</source>
        <translation>列出检查，最新在前</translation>
    </message>
    <message>
        <source>only this PatientID</source>
        <translation>仅此 PatientID</translation>
    </message>
    <message>
        <source>only studies with this modality (CT, MR…)</source>
        <translation>仅此模态的检查（CT、MR……）</translation>
    </message>
    <message>
        <source>a study&apos;s series, decodability, geometry and warnings</source>
        <translation>检查的序列、可解码性、几何信息和警告</translation>
    </message>
    <message>
        <source>clinic-app: nothing could be imported from the paths given (see the reasons above).</source>
        <translation>clinic-app：给定路径中没有可导入的内容（原因见上）。</translation>
    </message>
    <message>
        <source>Imported {imported} instance(s); {duplicates} already stored (duplicates); {len} skipped.</source>
        <translation>已导入 {imported} 个实例；{duplicates} 个已存在（重复）；跳过 {len} 个。</translation>
    </message>
    <message>
        <source> Cancelled: the instances listed are stored whole.</source>
        <translation> 已取消：列出的实例均已完整保存。</translation>
    </message>
    <message>
        <source>Replaced damaged copies:</source>
        <translation>已替换的损坏副本：</translation>
    </message>
    <message>
        <source>Skipped:</source>
        <translation>已跳过：</translation>
    </message>
    <message>
        <source>Study {study_uid}</source>
        <translation>检查 {study_uid}</translation>
    </message>
    <message>
        <source>  Patient: {value}  ID {value2}{value3}  born {value4}  {sex}</source>
        <translation>  患者：{value}  ID {value2}{value3}  出生日期 {value4}  {sex}</translation>
    </message>
    <message>
        <source>  Date: {value} {value2}  Accession: {value3}  {description}</source>
        <translation>  日期：{value} {value2}  检查号：{value3}  {description}</translation>
    </message>
    <message>
        <source>  FLAGS: {join} (review before reading)</source>
        <translation>  标记：{join}（阅片前请核查）</translation>
    </message>
    <message>
        <source>  Series {value}  {modality}  {value2}  [{series_uid}]</source>
        <translation>  序列 {value}  {modality}  {value2}  [{series_uid}]</translation>
    </message>
    <message>
        <source>(no description)</source>
        <translation>（无描述）</translation>
    </message>
    <message>
        <source>    {instances} instance(s), {frames} frame(s); decodable: {decodable}/{instances}; {join}</source>
        <translation>    {instances} 个实例，{frames} 帧；可解码：{decodable}/{instances}；{join}</translation>
    </message>
    <message>
        <source>    not decodable: {reason}</source>
        <translation>    无法解码：{reason}</translation>
    </message>
    <message>
        <source>    {value}: {kind}, {sl} × {r} × {c} (slices × rows × cols), spacing {value2:.4g} × {value3:.4g} × {value4:.4g} mm, {orientation}</source>
        <translation>    {value}：{kind}，{sl} × {r} × {c}（层 × 行 × 列），间距 {value2:.4g} × {value3:.4g} × {value4:.4g} mm，{orientation}</translation>
    </message>
    <message>
        <source>      WARNING: {w}</source>
        <translation>      警告：{w}</translation>
    </message>
    <message>
        <source>    note: {w}</source>
        <translation>    注：{w}</translation>
    </message>
    <message>
        <source>rotate the key to patient data (after a clinician leaves)</source>
        <translation>轮换患者数据密钥（在临床医生离职后）</translation>
    </message>
    <message>
        <source>is a rotation requested or in progress</source>
        <translation>是否已申请或正在进行轮换</translation>
    </message>
    <message>
        <source>ask the key holders to rotate the key (admin)</source>
        <translation>请密钥持有者轮换密钥（管理员）</translation>
    </message>
    <message>
        <source>why, e.g. &apos;dr.x left the practice&apos;</source>
        <translation>原因，例如“某医生已离职”</translation>
    </message>
    <message>
        <source>re-encrypt patient data under a new key (a key holder)</source>
        <translation>用新密钥重新加密患者数据（密钥持有者）</translation>
    </message>
    <message>
        <source>Key rotation in progress (phase {phase}), started {started_at} by {started_by}. A key holder continues it with &apos;clinic-app keys rotate&apos;.</source>
        <translation>密钥轮换进行中（阶段 {phase}），由 {started_by} 于 {started_at} 开始。密钥持有者可用 &apos;clinic-app keys rotate&apos; 继续。</translation>
    </message>
    <message>
        <source>No key rotation in progress.</source>
        <translation>没有进行中的密钥轮换。</translation>
    </message>
    <message>
        <source>Rotation requested {requested}.</source>
        <translation>已于 {requested} 申请轮换。</translation>
    </message>
    <message>
        <source>{blobs_left} stored files still under the old key.</source>
        <translation>仍有 {blobs_left} 个已存储文件使用旧密钥。</translation>
    </message>
    <message>
        <source>Rotation requested; the next clinician who holds the key can run &apos;clinic-app keys rotate&apos;.</source>
        <translation>已申请轮换；下一位持有密钥的临床医生可运行 &apos;clinic-app keys rotate&apos;。</translation>
    </message>
    <message>
        <source>Key rotated: {blobs} stored files and the clinical database ({value:.1f} MB) re-encrypted in {seconds:.1f} s; the new key is sealed to the clinicians who hold it now. Recovery shares must be set up again (the old ones opened the old key).</source>
        <translation>密钥已轮换：{blobs} 个已存储文件和临床数据库（{value:.1f} MB）在 {seconds:.1f} 秒内重新加密；新密钥已封装给当前持有者。恢复分片须重新设置（旧分片只能打开旧密钥）。</translation>
    </message>
    <message>
        <source>{unreadable} stored files were already unreadable and were left as they were.</source>
        <translation>{unreadable} 个已存储文件此前已无法读取，保持原样。</translation>
    </message>
    <message>
        <source>measure an imaging model on DICOM series with known lesions (radiologist or admin)</source>
        <translation>在已知病灶的 DICOM 序列上评估影像模型（放射科医生或管理员）</translation>
    </message>
    <message>
        <source>Runs the installed model through the app&apos;s pipeline on every series the truth file names and prints a per-lesion table, sensitivity at 0.5/1/2/4 false positives per scan (FROC), size errors, score calibration and the execution provider. Truth format: docs/imaging-ai.md.</source>
        <translation>通过本应用的流程在真值文件列出的每个序列上运行已安装模型，输出逐病灶表、每次扫描 0.5/1/2/4 个假阳性时的敏感度（FROC）、大小误差、评分校准和执行提供程序。真值格式：docs/imaging-ai.md。</translation>
    </message>
    <message>
        <source>installed imaging model id (see &apos;models list&apos;)</source>
        <translation>已安装影像模型的 ID（见 &apos;models list&apos;）</translation>
    </message>
    <message>
        <source>folder of DICOM series (searched recursively)</source>
        <translation>DICOM 序列文件夹（递归查找）</translation>
    </message>
    <message>
        <source>truth file (default DIR/truth.json, else the DICOM SEG objects in DIR)</source>
        <translation>真值文件（默认 DIR/truth.json，否则使用 DIR 中的 DICOM SEG 对象）</translation>
    </message>
    <message>
        <source>write the metrics into this package&apos;s manifest (then re-pin or re-sign)</source>
        <translation>将指标写入此模型包的清单（之后需重新固定哈希或重新签名）</translation>
    </message>
    <message>
        <source>clinic-app models evaluate </source>
        <translation>clinic-app models evaluate </translation>
    </message>
    <message>
        <source>Metrics written to {value} (manifest {value2}); re-pin or re-sign it (models/SIGNING.md).</source>
        <translation>指标已写入 {value}（清单 {value2}）；请重新固定哈希或重新签名（models/SIGNING.md）。</translation>
    </message>
    <message>
        <source>under {value:g} mm</source>
        <translation>小于 {value:g} mm</translation>
    </message>
    <message>
        <source>{value:g} mm and over</source>
        <translation>{value:g} mm 及以上</translation>
    </message>
    <message>
        <source>{value:g}–{value2:g} mm</source>
        <translation>{value:g}–{value2:g} mm</translation>
    </message>
    <message>
        <source>{where}: found {found} of {lesions}, size goal met by {goal}</source>
        <translation>{where}：{lesions} 个中检出 {found} 个，{goal} 个达到大小目标</translation>
    </message>
    <message>
        <source>{model_id} {version} on {provider}: {value} scans ({value2} without a lesion), {value3} lesions, {seconds:.1f} s</source>
        <translation>{model_id} {version}（{provider}）：{value} 次扫描（{value2} 次无病灶），{value3} 个病灶，{seconds:.1f} 秒</translation>
    </message>
    <message>
        <source>Data: {description}</source>
        <translation>数据：{description}</translation>
    </message>
    <message>
        <source>{diameter_mm:.1f} mm</source>
        <translation>{diameter_mm:.1f} mm</translation>
    </message>
    <message>
        <source>{slice_mm:g} mm</source>
        <translation>{slice_mm:g} mm</translation>
    </message>
    <message>
        <source>{centre_error_mm:.1f} mm</source>
        <translation>{centre_error_mm:.1f} mm</translation>
    </message>
    <message>
        <source>centre error</source>
        <translation>中心误差</translation>
    </message>
    <message>
        <source>diameter error</source>
        <translation>直径误差</translation>
    </message>
    <message>
        <source>volume error</source>
        <translation>体积误差</translation>
    </message>
    <message>
        <source>Sensitivity at the flag threshold {value:.2f}, false positives per scan {value2:.2f}</source>
        <translation>标记阈值下的敏感度 {value:.2f}，每次扫描假阳性 {value2:.2f}</translation>
    </message>
    <message>
        <source> ({value:.2f} on scans without a lesion)</source>
        <translation>（无病灶扫描上为 {value:.2f}）</translation>
    </message>
    <message>
        <source>FROC sensitivity per scan at {froc}</source>
        <translation>FROC 每次扫描敏感度：{froc}</translation>
    </message>
    <message>
        <source>One finding per detected lesion: {value:.2f}; median centre error {value2} mm; median |diameter error| {pct}; median |volume error| {pct2}; lesions meeting the size goal {value3:.2f}</source>
        <translation>每个检出病灶对应一个发现：{value:.2f}；中心误差中位数 {value2} mm；|直径误差|中位数 {pct}；|体积误差|中位数 {pct2}；达到大小目标的病灶比例 {value3:.2f}</translation>
    </message>
    <message>
        <source>By lesion diameter:</source>
        <translation>按病灶直径：</translation>
    </message>
    <message>
        <source>Calibration (ECE {value}): {bins}</source>
        <translation>校准（ECE {value}）：{bins}</translation>
    </message>
    <message>
        <source>log in to apply admin approvals and disabled models and to audit refusals (optional)</source>
        <translation>登录后应用管理员批准和停用状态，并审计拒绝（可选）</translation>
    </message>
    <message>
        <source>read the password from stdin</source>
        <translation>从标准输入读取密码</translation>
    </message>
    <message>
        <source>list, verify, add, disable and enable model packages</source>
        <translation>列出、校验、添加、停用和启用模型包</translation>
    </message>
    <message>
        <source>installed packages, their trust, the provider each runs on, and refused packages with the reason</source>
        <translation>已安装的模型包、其信任状态、各自运行的提供程序，以及被拒绝的模型包及原因</translation>
    </message>
    <message>
        <source>re-check hashes and trust and run each package&apos;s test vectors</source>
        <translation>重新检查哈希和信任，并运行各模型包的测试向量</translation>
    </message>
    <message>
        <source>one package id (default: all)</source>
        <translation>单个模型包 ID（默认：全部）</translation>
    </message>
    <message>
        <source>verify a package folder and install it in the site models folder (admin)</source>
        <translation>校验模型包文件夹并安装到机构模型文件夹（管理员）</translation>
    </message>
    <message>
        <source>approve this exact unsigned package (audited)</source>
        <translation>批准此未签名模型包（记入审计）</translation>
    </message>
    <message>
        <source>why an unsigned package is approved, or an older version installed (audited)</source>
        <translation>批准未签名模型包或安装旧版本的原因（记入审计）</translation>
    </message>
    <message>
        <source>install a version not newer than the installed one (needs --reason; audited)</source>
        <translation>安装不比已安装版本更新的版本（需 --reason；记入审计）</translation>
    </message>
    <message>
        <source>switch a model package off for every user until an admin enables it (admin, audited)</source>
        <translation>为所有用户停用模型包，直到管理员重新启用（管理员，记入审计）</translation>
    </message>
    <message>
        <source>package id (see &apos;models list&apos;)</source>
        <translation>模型包 ID（见 &apos;models list&apos;）</translation>
    </message>
    <message>
        <source>why it is switched off (shown in the list)</source>
        <translation>停用原因（显示在列表中）</translation>
    </message>
    <message>
        <source>switch a disabled model package on again (admin, audited)</source>
        <translation>重新启用已停用的模型包（管理员，记入审计）</translation>
    </message>
    <message>
        <source>risk scores: --model ID --inputs FILE.json (calculator, no store), or MRN for a patient in the store</source>
        <translation>风险评分：--model ID --inputs FILE.json（计算器模式，无需存储），或存储中患者的病历号</translation>
    </message>
    <message>
        <source>patient MRN (omit with --inputs)</source>
        <translation>患者病历号（使用 --inputs 时省略）</translation>
    </message>
    <message>
        <source>model id (repeatable; default with MRN: every risk model)</source>
        <translation>模型 ID（可重复；给出病历号时默认为所有风险模型）</translation>
    </message>
    <message>
        <source>JSON object of named inputs in canonical units (calculator mode)</source>
        <translation>以规范单位给出各命名输入项的 JSON 对象（计算器模式）</translation>
    </message>
    <message>
        <source>MRN issuer, when MRNs from two issuers collide</source>
        <translation>病历号签发机构（两个机构的病历号冲突时）</translation>
    </message>
    <message>
        <source>score as the record stood on this date</source>
        <translation>按该日期时的病历评分</translation>
    </message>
    <message>
        <source>do not store the results</source>
        <translation>不保存结果</translation>
    </message>
    <message>
        <source>REFUSED {id}: {reason}</source>
        <translation>已拒绝 {id}：{reason}</translation>
    </message>
    <message>
        <source>DISABLED {id}: {disabled}{why}</source>
        <translation>已停用 {id}：{disabled}{why}</translation>
    </message>
    <message>
        <source>(not logged in: admin approvals of unsigned packages and models disabled by an admin are not applied, and refusals are not audited; add --user for all three)</source>
        <translation>（未登录：管理员对未签名模型包的批准和管理员停用的模型均未生效，拒绝也不记入审计；加 --user 可使三者都生效）</translation>
    </message>
    <message>
        <source>DEMO - not for clinical use</source>
        <translation>演示 - 不得用于临床</translation>
    </message>
    <message>
        <source>{len} model package(s) failed verification: {join}. Do not use them; reinstall from the publisher.</source>
        <translation>{len} 个模型包未通过校验：{join}。请勿使用；请从发布方重新安装。</translation>
    </message>
    <message>
        <source> on {provider}</source>
        <translation>（{provider}）</translation>
    </message>
    <message>
        <source>  [{value}] {name}: {detail}  (source: {source})</source>
        <translation>  [{value}] {name}：{detail}  （来源：{source}）</translation>
    </message>
    <message>
        <source>Installed {id} {version} ({trust}); it stays off: {disabled}. &apos;clinic-app models enable {id}&apos; switches it on.</source>
        <translation>已安装 {id} {version}（{trust}）；保持停用：{disabled}。运行 &apos;clinic-app models enable {id}&apos; 可启用。</translation>
    </message>
    <message>
        <source>Installed {id} {version} ({trust}); runs on {provider}.</source>
        <translation>已安装 {id} {version}（{trust}）；运行于 {provider}。</translation>
    </message>
    <message>
        <source>{id} is {value}: it is listed but no longer loaded, scored or analysed by anyone. &apos;clinic-app models enable {id}&apos; switches it on again.</source>
        <translation>{id} 当前为 {value}：仍会列出，但任何人都不再加载、评分或分析。运行 &apos;clinic-app models enable {id}&apos; 可重新启用。</translation>
    </message>
    <message>
        <source>{id} is enabled again (no package with this id is installed now).</source>
        <translation>{id} 已重新启用（当前未安装此 ID 的模型包）。</translation>
    </message>
    <message>
        <source>{id} is enabled again, but it is refused: {reason}</source>
        <translation>{id} 已重新启用，但被拒绝：{reason}</translation>
    </message>
    <message>
        <source>{id} {version} is enabled again.</source>
        <translation>{id} {version} 已重新启用。</translation>
    </message>
    <message>
        <source>--as-of {text!r}: use YYYY-MM-DD.</source>
        <translation>--as-of {text!r}：请使用 YYYY-MM-DD 格式。</translation>
    </message>
    <message>
        <source>Give either an MRN or --inputs FILE.json, not both.</source>
        <translation>请给出病历号（MRN）或 --inputs FILE.json，不能同时给出。</translation>
    </message>
    <message>
        <source>Calculator mode needs exactly one --model ID (see &apos;clinic-app models list&apos;).</source>
        <translation>计算器模式需要且仅需一个 --model ID（见 &apos;clinic-app models list&apos;）。</translation>
    </message>
    <message>
        <source>Give a patient MRN, or --model ID --inputs FILE.json for calculator mode.</source>
        <translation>请给出患者病历号（MRN），或用 --model ID --inputs FILE.json 进入计算器模式。</translation>
    </message>
    <message>
        <source>Scoring a stored patient needs --user NAME (a physician).</source>
        <translation>为已存储患者评分需要 --user NAME（临床医生）。</translation>
    </message>
    <message>
        <source>No risk score could be computed for this patient: </source>
        <translation>无法为该患者计算任何风险评分：</translation>
    </message>
    <message>
        <source> over {horizon}</source>
        <translation>（{horizon}）</translation>
    </message>
    <message>
        <source>  model {model_id} {model_version}, ran on {provider}</source>
        <translation>  模型 {model_id} {model_version}，运行于 {provider}</translation>
    </message>
    <message>
        <source>  FLAG: {flag}</source>
        <translation>  标记：{flag}</translation>
    </message>
    <message>
        <source>  with optimal risk factors ({value}): {percent_text}</source>
        <translation>  危险因素处于理想水平时（{value}）：{percent_text}</translation>
    </message>
    <message>
        <source>  modifiable factors add {value:+.1f} percentage points:</source>
        <translation>  可改变的危险因素增加 {value:+.1f} 个百分点：</translation>
    </message>
    <message>
        <source>    {label}: {points:+.1f} percentage points</source>
        <translation>    {label}：{points:+.1f} 个百分点</translation>
    </message>
    <message>
        <source>  points per item:</source>
        <translation>  各项得分：</translation>
    </message>
    <message>
        <source>  score per input:</source>
        <translation>  各输入项得分：</translation>
    </message>
    <message>
        <source>    {label}: {amount:+.3g}  (value {value}{unit}{when}; {source})</source>
        <translation>    {label}：{amount:+.3g}  （数值 {value}{unit}{when}；{source}）</translation>
    </message>
    <message>
        <source>  not used by this model: {join}</source>
        <translation>  此模型未使用：{join}</translation>
    </message>
    <message>
        <source>{model_name}: cannot compute: {reason}</source>
        <translation>{model_name}：无法计算：{reason}</translation>
    </message>
    <message>
        <source>As of {isoformat}:</source>
        <translation>截至 {isoformat}：</translation>
    </message>
    <message>
        <source>query, retrieve from and send to a PACS (DIMSE or DICOMweb)</source>
        <translation>查询、获取和发送到 PACS（DIMSE 或 DICOMweb）</translation>
    </message>
    <message>
        <source>the PACS nodes this workstation talks to</source>
        <translation>本工作站连接的 PACS 节点</translation>
    </message>
    <message>
        <source>add or replace a node (admin)</source>
        <translation>添加或替换节点（管理员）</translation>
    </message>
    <message>
        <source>A DIMSE node needs --aet, --host and --port; a DICOMweb node needs --dicomweb URL. A password or token (--auth basic|bearer) is read from stdin after the admin&apos;s password and kept in the encrypted system store.</source>
        <translation>DIMSE 节点需要 --aet、--host 和 --port；DICOMweb 节点需要 --dicomweb URL。密码或令牌（--auth basic|bearer）在管理员密码之后从标准输入读取，并保存在加密的系统存储中。</translation>
    </message>
    <message>
        <source>the PACS&apos;s AE title</source>
        <translation>PACS 的 AE 标题</translation>
    </message>
    <message>
        <source>how studies are fetched (default: move, to our listener)</source>
        <translation>检查的获取方式（默认：move，发送到本机监听）</translation>
    </message>
    <message>
        <source>DICOM TLS: CA file to verify the PACS</source>
        <translation>DICOM TLS：用于验证 PACS 的 CA 文件</translation>
    </message>
    <message>
        <source>DICOM TLS: our client certificate</source>
        <translation>DICOM TLS：本机客户端证书</translation>
    </message>
    <message>
        <source>DICOM TLS: its private key</source>
        <translation>DICOM TLS：其私钥</translation>
    </message>
    <message>
        <source>DICOMweb base URL instead of DIMSE</source>
        <translation>使用 DICOMweb 基础 URL 代替 DIMSE</translation>
    </message>
    <message>
        <source>remove a node (admin)</source>
        <translation>删除节点（管理员）</translation>
    </message>
    <message>
        <source>list nodes (admin, radiologist); never shows secrets</source>
        <translation>列出节点（管理员、放射科医生）；从不显示密钥</translation>
    </message>
    <message>
        <source>verify a node: C-ECHO, or a QIDO-RS search for DICOMweb</source>
        <translation>验证节点：C-ECHO，或对 DICOMweb 进行 QIDO-RS 搜索</translation>
    </message>
    <message>
        <source>search a PACS (radiologist)</source>
        <translation>搜索 PACS（放射科医生）</translation>
    </message>
    <message>
        <source>patient name; a prefix unless it has * or ?</source>
        <translation>患者姓名；不含 * 或 ? 时按前缀匹配</translation>
    </message>
    <message>
        <source>study dates, e.g. 2025-01-01..2025-06-30 or 20250101-20250630</source>
        <translation>检查日期，例如 2025-01-01..2025-06-30 或 20250101-20250630</translation>
    </message>
    <message>
        <source>for --level series</source>
        <translation>用于 --level series</translation>
    </message>
    <message>
        <source>fetch a study into the encrypted store (radiologist)</source>
        <translation>将检查获取到加密存储（放射科医生）</translation>
    </message>
    <message>
        <source>send a stored study, or its results, to a node (radiologist)</source>
        <translation>将已存储的检查或其结果发送到节点（放射科医生）</translation>
    </message>
    <message>
        <source>send the study&apos;s results (report, segmentations, key images) instead</source>
        <translation>改为发送检查的结果（报告、分割、关键图像）</translation>
    </message>
    <message>
        <source>receive studies pushed by configured nodes until Ctrl-C or --seconds (radiologist)</source>
        <translation>接收已配置节点推送的检查，直到 Ctrl-C 或 --seconds（放射科医生）</translation>
    </message>
    <message>
        <source>Give either --dicomweb URL or --aet/--host/--port, not both.</source>
        <translation>请给出 --dicomweb URL 或 --aet/--host/--port，不能同时给出。</translation>
    </message>
    <message>
        <source>A DIMSE node needs --aet, --host and --port (or give --dicomweb URL).</source>
        <translation>DIMSE 节点需要 --aet、--host 和 --port（或给出 --dicomweb URL）。</translation>
    </message>
    <message>
        <source>Password or token for {name}: </source>
        <translation>{name} 的密码或令牌：</translation>
    </message>
    <message>
        <source>Saved {describe}. Verify it with &apos;clinic-app pacs echo {name}&apos;.</source>
        <translation>已保存 {describe}。请用 &apos;clinic-app pacs echo {name}&apos; 验证。</translation>
    </message>
    <message>
        <source>Removed {name}.</source>
        <translation>已删除 {name}。</translation>
    </message>
    <message>
        <source>{name} answered in {ms:.0f} ms.</source>
        <translation>{name} 在 {ms:.0f} 毫秒内响应。</translation>
    </message>
    <message>
        <source>Retrieved {received} instance(s) from {node} by {method}: {imported} new, {duplicates} already stored, {len} skipped. The study is {value}.</source>
        <translation>通过 {method} 从 {node} 获取 {received} 个实例：新增 {imported} 个，已存在 {duplicates} 个，跳过 {len} 个。该检查{value}。</translation>
    </message>
    <message>
        <source>Sent {sent} instance(s) to {node}</source>
        <translation>已向 {node} 发送 {sent} 个实例</translation>
    </message>
    <message>
        <source>; {failed} refused by the PACS.</source>
        <translation>；{failed} 个被 PACS 拒收。</translation>
    </message>
    <message>
        <source>Received {files} instance(s): {imported} new, {duplicates} already stored, {len} skipped.</source>
        <translation>已接收 {files} 个实例：新增 {imported} 个，已存在 {duplicates} 个，跳过 {len} 个。</translation>
    </message>
    <message>
        <source>African-American</source>
        <extracomment>``patients confirm`` input words → model input names (the names work too). How ``patients show`` writes the race the risk equations use.</extracomment>
        <translation>非裔美国人</translation>
    </message>
    <message>
        <source>other (the risk equations use the white equations, flagged)</source>
        <translation>其他（风险方程按白人方程计算，已标记）</translation>
    </message>
    <message>
        <source>expected YYYY-MM-DD or an ISO date-time, got {text!r}</source>
        <translation>应为 YYYY-MM-DD 或 ISO 日期时间，实际为 {text!r}</translation>
    </message>
    <message>
        <source>import FHIR R4 JSON/NDJSON (.gz too), the CSV templates, or Bulk Data export folders (read by manifest.json); each file all-or-nothing</source>
        <translation>导入 FHIR R4 JSON/NDJSON（含 .gz）、CSV 模板或 Bulk Data 导出文件夹（按 manifest.json 读取）；每个文件要么全部导入，要么完全不导入</translation>
    </message>
    <message>
        <source>print the import report as JSON</source>
        <translation>以 JSON 输出导入报告</translation>
    </message>
    <message>
        <source>patients in the records store (physician)</source>
        <translation>病历存储中的患者（临床医生）</translation>
    </message>
    <message>
        <source>every patient with counts, linked studies and conflicts</source>
        <translation>所有患者及其计数、关联检查和冲突</translation>
    </message>
    <message>
        <source>one patient: latest values, conditions, medications, studies, conflicts</source>
        <translation>单个患者：最新数值、诊断、用药、检查、冲突</translation>
    </message>
    <message>
        <source>identifier system, when the MRN exists under several</source>
        <translation>标识符体系（病历号在多个体系下存在时）</translation>
    </message>
    <message>
        <source>show the record as it was at the end of this day (UTC) or at this ISO date-time (default: now)</source>
        <translation>显示该日结束时（UTC）或该 ISO 日期时间的病历（默认：现在）</translation>
    </message>
    <message>
        <source>record whether a parent or sibling had a heart attack or stroke (China-PAR), when the record does not say</source>
        <translation>在病历未说明时，记录父母或兄弟姐妹是否患过心肌梗死或卒中（China-PAR）</translation>
    </message>
    <message>
        <source>how it was established (e.g. asked today); required, as for every confirmation</source>
        <translation>确认方式（例如：今日询问）；与所有确认一样为必填</translation>
    </message>
    <message>
        <source>save a measured value the record lacks (e.g. HDL cholesterol) as entered by you, with a reason; shown as entered by you, never as imported</source>
        <translation>将病历缺少的测量值（例如 HDL 胆固醇）连同理由保存为由您录入；显示为由您录入，绝不显示为导入</translation>
    </message>
    <message>
        <source>the model input, e.g. hdl_cholesterol, systolic_bp</source>
        <translation>模型输入项，例如 hdl_cholesterol、systolic_bp</translation>
    </message>
    <message>
        <source>the unit of VALUE (default: the record&apos;s unit, e.g. mg/dL)</source>
        <translation>VALUE 的单位（默认：病历所用单位，例如 mg/dL）</translation>
    </message>
    <message>
        <source>where the value comes from (e.g. measured in clinic today)</source>
        <translation>数值来源（例如：今日门诊测量）</translation>
    </message>
    <message>
        <source>NOT IMPORTED</source>
        <translation>未导入</translation>
    </message>
    <message>
        <source>  skipped {value} {value2}: {value3}</source>
        <translation>  跳过 {value} 个 {value2}：{value3}</translation>
    </message>
    <message>
        <source>  flagged {item}: {reason}</source>
        <translation>  已标记 {item}：{reason}</translation>
    </message>
    <message>
        <source>  … {value} more flagged (see --json)</source>
        <translation>  … 另有 {value} 个已标记（见 --json）</translation>
    </message>
    <message>
        <source>  ERROR {item}: {reason}</source>
        <translation>  错误 {item}：{reason}</translation>
    </message>
    <message>
        <source>  … {value} more errors</source>
        <translation>  … 另有 {value} 个错误</translation>
    </message>
    <message>
        <source>{rtype}: {value} kept, {value2} flagged, {value3} invalid ({value4} of {value5} file(s) refused)</source>
        <translation>{rtype}：保留 {value}，标记 {value2}，无效 {value3}（{value5} 个文件中拒绝 {value4} 个）</translation>
    </message>
    <message>
        <source>note: {note}</source>
        <translation>注：{note}</translation>
    </message>
    <message>
        <source>Total imported: {total} patients, {total2} observations, {total3} conditions, {total4} medications.</source>
        <translation>共导入：{total} 名患者，{total2} 条观察结果，{total3} 条诊断，{total4} 条用药。</translation>
    </message>
    <message>
        <source>{family}, {given}  MRN {mrn}</source>
        <translation>{family}，{given}  病历号 {mrn}</translation>
    </message>
    <message>
        <source>born {value}, {sex}</source>
        <translation>出生日期 {value}，{sex}</translation>
    </message>
    <message>
        <source>, deceased</source>
        <translation>，已故</translation>
    </message>
    <message>
        <source>race {race}</source>
        <translation>种族 {race}</translation>
    </message>
    <message>
        <source>as of {isoformat}</source>
        <translation>截至 {isoformat}</translation>
    </message>
    <message>
        <source>Latest values:</source>
        <translation>最新数值：</translation>
    </message>
    <message>
        <source>  (from {original_value} {original_unit})</source>
        <translation>  （原值 {original_value} {original_unit}）</translation>
    </message>
    <message>
        <source>  (not interpreted)</source>
        <translation>  （未解释）</translation>
    </message>
    <message>
        <source>Conditions:</source>
        <translation>诊断：</translation>
    </message>
    <message>
        <source>Medications:</source>
        <translation>用药：</translation>
    </message>
    <message>
        <source>Allergies:</source>
        <translation>过敏：</translation>
    </message>
    <message>
        <source>Recent visits:</source>
        <translation>近期就诊：</translation>
    </message>
    <message>
        <source>Linked studies:</source>
        <translation>关联检查：</translation>
    </message>
    <message>
        <source>write a patient&apos;s risk report (PDF/A) and FHIR RiskAssessments</source>
        <translation>写出患者风险报告（PDF/A）和 FHIR RiskAssessment</translation>
    </message>
    <message>
        <source>patient MRN</source>
        <translation>患者病历号</translation>
    </message>
    <message>
        <source>where to write the PDF (default: ./&lt;MRN&gt;-risk-&lt;date&gt;.pdf)</source>
        <translation>PDF 写入位置（默认：./&lt;MRN&gt;-risk-&lt;date&gt;.pdf）</translation>
    </message>
    <message>
        <source>the record as it stood on this date</source>
        <translation>该日期时的病历</translation>
    </message>
    <message>
        <source>replace existing files</source>
        <translation>替换已有文件</translation>
    </message>
    <message>
        <source>wrote {pdf} ({pages} page{value}) and {name} ({len} RiskAssessment{value2})</source>
        <translation>已写入 {pdf}（{pages} 页）和 {name}（{len} 个 RiskAssessment）</translation>
    </message>
    <message>
        <source>add a finding the AI missed (radiologist, audited)</source>
        <translation>添加 AI 漏检的发现（放射科医生，记入审计）</translation>
    </message>
    <message>
        <source>Records a finding drawn by the radiologist: a box on one slice of a series. It is exported with the AI results as an &apos;added&apos; finding.</source>
        <translation>记录放射科医生标出的发现：序列某一层面上的一个框。它将作为“新增”发现与 AI 结果一起导出。</translation>
    </message>
    <message>
        <source>stack of the series (0 = the largest; &apos;studies show&apos; lists them)</source>
        <translation>序列的图像组（0 = 最大的；&apos;studies show&apos; 可列出）</translation>
    </message>
    <message>
        <source>slice in the stack, from 0</source>
        <translation>图像组中的层面，从 0 开始</translation>
    </message>
    <message>
        <source>first and last pixel column and row of the box</source>
        <translation>框的首末像素列和行</translation>
    </message>
    <message>
        <source>what it is, e.g. &apos;pulmonary nodule&apos;</source>
        <translation>发现是什么，例如“肺结节”</translation>
    </message>
    <message>
        <source>free text kept with the finding</source>
        <translation>随发现保存的自由文本</translation>
    </message>
    <message>
        <source>Added finding {id} ({label}) on slice {slice_index} by {user} at {added_at}.</source>
        <translation>{user} 于 {added_at} 在第 {slice_index} 层添加了发现 {id}（{label}）。</translation>
    </message>
    <message>
        <source>--password-stdin: expected another line on stdin ({strip}).</source>
        <translation>--password-stdin：标准输入应还有一行（{strip}）。</translation>
    </message>
    <message>
        <source>No terminal to ask for a password; use --password-stdin.</source>
        <translation>没有可用于输入密码的终端；请使用 --password-stdin。</translation>
    </message>
    <message>
        <source>The two passwords did not match.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <source>This command needs --user NAME (the person running it).</source>
        <translation>此命令需要 --user NAME（执行命令的人）。</translation>
    </message>
    <message>
        <source>Password for {user}: </source>
        <translation>{user} 的密码：</translation>
    </message>
    <message>
        <source>User &apos;{username}&apos; must change their password first: run &apos;clinic-app passwd --user NAME&apos; (current password, then the new one).</source>
        <translation>用户 &apos;{username}&apos; 必须先修改密码：运行 &apos;clinic-app passwd --user NAME&apos;（先输入当前密码，再输入新密码）。</translation>
    </message>
    <message>
        <source>{exc} (other checks use the defaults)</source>
        <translation>{exc}（其他检查使用默认值）</translation>
    </message>
    <message>
        <source>site {site} ({presence}), user {user} ({presence2})</source>
        <translation>机构 {site}（{presence}），用户 {user}（{presence2}）</translation>
    </message>
    <message>
        <source>{exposed}: any user could change the site policy. IT: chown root:root and chmod 644 the file, chmod 755 its folder</source>
        <translation>{exposed}：任何用户都可修改机构策略。IT：对该文件执行 chown root:root 和 chmod 644，对其文件夹执行 chmod 755</translation>
    </message>
    <message>
        <source>{target} is writable by every user</source>
        <translation>{target} 对所有用户可写</translation>
    </message>
    <message>
        <source>{target} is writable by group id {st_gid}</source>
        <translation>{target} 对组 ID {st_gid} 可写</translation>
    </message>
    <message>
        <source>{target} is owned by user id {st_uid}, not root</source>
        <translation>{target} 的所有者为用户 ID {st_uid}，而非 root</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>read</source>
        <translation>已读取</translation>
    </message>
    <message>
        <source>absent</source>
        <translation>不存在</translation>
    </message>
    <message>
        <source>bundle {get} variant, built {get2}</source>
        <translation>{get} 版本安装包，构建于 {get2}</translation>
    </message>
    <message>
        <source>source install</source>
        <translation>源码安装</translation>
    </message>
    <message>
        <source>clinic-app {version} self-test ({where}; {platform})</source>
        <translation>clinic-app {version} 自检（{where}；{platform}）</translation>
    </message>
    <message>
        <source>all checks passed</source>
        <translation>全部检查通过</translation>
    </message>
    <message>
        <source>FAILED</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>self-test {verdict}: {value} passed, {value2} failed, {value3} skipped in {seconds:.1f} s</source>
        <translation>自检{verdict}：{value} 项通过，{value2} 项失败，{value3} 项跳过，用时 {seconds:.1f} 秒</translation>
    </message>
    <message>
        <source>encrypted, consistent, incremental backup of the store (admin)</source>
        <translation>存储的加密、一致、增量备份（管理员）</translation>
    </message>
    <message>
        <source>backup folder (kept between runs)</source>
        <translation>备份文件夹（在多次运行间保留）</translation>
    </message>
    <message>
        <source>restore a verified backup into an empty store folder (admin)</source>
        <translation>将校验过的备份恢复到空存储文件夹（管理员）</translation>
    </message>
    <message>
        <source>backup folder</source>
        <translation>备份文件夹</translation>
    </message>
    <message>
        <source>a set other than the latest</source>
        <translation>最新备份集以外的某个备份集</translation>
    </message>
    <message>
        <source>store maintenance</source>
        <translation>存储维护</translation>
    </message>
    <message>
        <source>remove blob files nothing refers to (dry run first)</source>
        <translation>删除无引用的数据块文件（请先试运行）</translation>
    </message>
    <message>
        <source>count only; remove nothing</source>
        <translation>只计数；不删除任何内容</translation>
    </message>
    <message>
        <source>{value:.1f} MB</source>
        <translation>{value:.1f} MB</translation>
    </message>
    <message>
        <source>Backup set {set_name} written to {to}: {files} database files, {blobs_total} blobs ({blobs_copied} new, {mb}).</source>
        <translation>备份集 {set_name} 已写入 {to}：{files} 个数据库文件，{blobs_total} 个数据块（新增 {blobs_copied} 个，{mb}）。</translation>
    </message>
    <message>
        <source>Password for {user} (as in the backup): </source>
        <translation>{user} 的密码（与备份中一致）：</translation>
    </message>
    <message>
        <source>Restored backup set {set_name} ({blobs} blobs) into {store_dir}; {user} signed in against the backup&apos;s key ring.</source>
        <translation>已将备份集 {set_name}（{blobs} 个数据块）恢复到 {store_dir}；{user} 已通过备份中的密钥环登录。</translation>
    </message>
    <message>
        <source>store: unknown command</source>
        <translation>store：未知命令</translation>
    </message>
    <message>
        <source>{blob_files} blob files; {temp_files} leftover temporary files ({mb}).</source>
        <translation>{blob_files} 个数据块文件；{temp_files} 个残留临时文件（{mb}）。</translation>
    </message>
    <message>
        <source>Unreferenced blobs can only be found with the clinical key: run &apos;store gc&apos; as a clinician to check every reference.</source>
        <translation>未被引用的数据块只能用临床密钥查找：请以临床医生身份运行 &apos;store gc&apos; 检查所有引用。</translation>
    </message>
    <message>
        <source>{orphans} blob files no record refers to ({mb}).</source>
        <translation>{orphans} 个数据块文件无记录引用（{mb}）。</translation>
    </message>
    <message>
        <source>Would remove {count} files (dry run).</source>
        <translation>将删除 {count} 个文件（试运行）。</translation>
    </message>
    <message>
        <source>Removed {count} files.</source>
        <translation>已删除 {count} 个文件。</translation>
    </message>
    <message>
        <source>the terminology package (code meanings): which copy is in use and why, and installing a signed update</source>
        <translation>术语包（编码含义）：正在使用哪个副本及原因，以及安装已签名的更新</translation>
    </message>
    <message>
        <source>which copy (shipped or site) is in use, and why</source>
        <translation>正在使用哪个副本（随附或机构）及原因</translation>
    </message>
    <message>
        <source>verify a signed terminology.json and make it the site copy (admin, audited)</source>
        <translation>校验已签名的 terminology.json 并设为机构副本（管理员，记入审计）</translation>
    </message>
    <message>
        <source>install a version not newer than the one in use (needs --reason; audited)</source>
        <translation>安装不比当前使用版本更新的版本（需 --reason；记入审计）</translation>
    </message>
    <message>
        <source>why an older version is installed (audited)</source>
        <translation>安装旧版本的原因（记入审计）</translation>
    </message>
</context>
<context>
    <name>cli.records</name>
    <message>
        <source>Recorded: family history of heart attack or stroke {answer}, by {user} on {day}.</source>
        <translation>已记录：心肌梗死或卒中家族史 {answer}，由 {user} 于 {day} 记录。</translation>
    </message>
    <message>
        <source>  {label}: uncertain. {reason}.</source>
        <translation>  {label}：不确定。{reason}。</translation>
    </message>
    <message>
        <source>  {label}: {answer}, confirmed by {user} on {date} (“{why}”); a physician&apos;s statement, not a record fact.</source>
        <translation>  {label}：{answer}，由 {user} 于 {date} 确认（“{why}”）；此为医生陈述，并非病历事实。</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>Recorded: {label}: {answer}, by {user} on {day} (for: {subject}); a physician&apos;s statement, not a record fact.</source>
        <translation>已记录：{label}：{answer}，由 {user} 于 {day} 记录（针对：{subject}）；此为医生陈述，并非病历事实。</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Saved: {input} {value:g} {unit}, entered by {user} on {day}.</source>
        <translation>已保存：{input} {value:g} {unit}，由 {user} 于 {day} 录入。</translation>
    </message>
    <message>
        <source>Uncertain inputs (settle them in the Risk tab or with &apos;clinic-app patients confirm&apos;):</source>
        <translation>不确定的输入项（请在“风险”标签页中或用 &apos;clinic-app patients confirm&apos; 确认）：</translation>
    </message>
</context>
<context>
    <name>demo</name>
    <message>
        <source>QT_QPA_PLATFORM={qpa} draws no window on a screen</source>
        <translation>QT_QPA_PLATFORM={qpa} 不会在屏幕上绘制窗口</translation>
    </message>
    <message>
        <source>no display: DISPLAY and WAYLAND_DISPLAY are not set</source>
        <translation>无显示：未设置 DISPLAY 和 WAYLAND_DISPLAY</translation>
    </message>
    <message>
        <source>The demo opens a window, which needs a display ({reason}). Building the store only; open it on a desktop, or use --no-gui next time.</source>
        <translation>演示会打开窗口，需要显示（{reason}）。仅构建存储；请在桌面环境中打开，或下次使用 --no-gui。</translation>
    </message>
</context>
<context>
    <name>dialogs</name>
    <message>
        <source>Something went wrong inside clinic-app ({kind}). The details, without patient data, were written to the application log (Help → About shows where). Please tell IT what you were doing when it happened.</source>
        <translation>clinic-app 内部出错（{kind}）。详情（不含患者数据）已写入应用日志（位置见“帮助 → 关于”）。请告知 IT 出错时您正在进行的操作。</translation>
    </message>
    <message>
        <source>Sign-in needed</source>
        <translation>需要登录</translation>
    </message>
    <message>
        <source>Not allowed</source>
        <translation>不允许</translation>
    </message>
    <message>
        <source>Integrity check failed</source>
        <translation>完整性检查失败</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Cannot continue</source>
        <translation>无法继续</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
</context>
<context>
    <name>display_units</name>
    <message>
        <source>Units: SI — cholesterol, triglycerides and glucose in mmol/L; creatinine and bilirubin in µmol/L; blood pressure in mmHg.</source>
        <extracomment>Fact (or model input) -&gt; the unit an SI site reads it in. Facts not listed are shown in their canonical unit everywhere (mmHg, %, kg/m², cm). Model input names that are a fact under another name. Decimals a clinician expects per displayed unit.</extracomment>
        <translation>单位：国际单位制 — 胆固醇、甘油三酯和血糖以 mmol/L 表示；肌酐和胆红素以 µmol/L 表示；血压以 mmHg 表示。</translation>
    </message>
    <message>
        <source>Units: US conventional — cholesterol, triglycerides, glucose, creatinine and bilirubin in mg/dL; blood pressure in mmHg.</source>
        <translation>单位：美国常用单位 — 胆固醇、甘油三酯、血糖、肌酐和胆红素以 mg/dL 表示；血压以 mmHg 表示。</translation>
    </message>
</context>
<context>
    <name>entered_values</name>
    <message>
        <source>No value to save.</source>
        <translation>没有可保存的数值。</translation>
    </message>
    <message>
        <source>Say where the value comes from (for example “measured in clinic today”): a value without a reason is not saved.</source>
        <translation>请说明数值来源（例如“今日门诊测量”）：没有理由的数值不予保存。</translation>
    </message>
    <message>
        <source>&apos;{feature}&apos; is not a measured value and cannot be saved to the record here.</source>
        <translation>“{feature}”不是测量值，不能在此保存到病历。</translation>
    </message>
</context>
<context>
    <name>features</name>
    <message>
        <source>confirmed by {user} on {date} ({subject}); a physician&apos;s statement, not a record fact</source>
        <extracomment>What a confirmation must name to settle an uncertain input (the drugs&apos; names).</extracomment>
        <translation>由 {user} 于 {date} 确认（{subject}）；此为医生陈述，并非病历事实</translation>
    </message>
    <message>
        <source>recorded by {user} on {day}</source>
        <translation>由 {user} 于 {day} 记录</translation>
    </message>
    <message>
        <source>a family history on the problem list, or recorded with &apos;clinic-app patients family-history&apos;</source>
        <extracomment>What a physician&apos;s answer about family history is recorded against.</extracomment>
        <translation>问题列表中的家族史，或用 &apos;clinic-app patients family-history&apos; 记录</translation>
    </message>
</context>
<context>
    <name>formatting</name>
    <message>
        <source>IT administrator</source>
        <translation>IT 管理员</translation>
    </message>
    <message>
        <source>Radiologist</source>
        <translation>放射科医生</translation>
    </message>
    <message>
        <source>Physician</source>
        <translation>临床医生</translation>
    </message>
    <message>
        <source>{n} bytes</source>
        <translation>{n} 字节</translation>
    </message>
</context>
<context>
    <name>hanging</name>
    <message>
        <source>{where} must be a word or a list of words.</source>
        <extracomment>Words of the series description (any, case-insensitive); empty: the largest volume.</extracomment>
        <translation>{where} 必须是一个词或一组词。</translation>
    </message>
    <message>
        <source>Rule {n}</source>
        <translation>规则 {n}</translation>
    </message>
    <message>
        <source>{where} is not an object.</source>
        <translation>{where} 不是对象。</translation>
    </message>
    <message>
        <source>{where}: layout must be one of {choices}.</source>
        <translation>{where}：布局必须是 {choices} 之一。</translation>
    </message>
    <message>
        <source>{where}: a {layout} layout has {cells} viewport(s).</source>
        <translation>{where}：{layout} 布局有 {cells} 个视窗。</translation>
    </message>
    <message>
        <source>{where}: a viewport&apos;s study is “current” or “prior”.</source>
        <translation>{where}：视窗的检查只能是“current”（本次）或“prior”（既往）。</translation>
    </message>
    <message>
        <source>{where}: min_priors must be a whole number 0–20.</source>
        <translation>{where}：min_priors 必须是 0–20 的整数。</translation>
    </message>
    <message>
        <source>A hanging protocol file holds {&quot;rules&quot;: [...]}.</source>
        <translation>挂片协议文件的内容应为 {&quot;rules&quot;: [...]}。</translation>
    </message>
    <message>
        <source>At most {n} rules can be kept.</source>
        <translation>最多可保存 {n} 条规则。</translation>
    </message>
</context>
<context>
    <name>hanging_protocols</name>
    <message>
        <source>CT chest with prior</source>
        <extracomment>The shipped rules&apos; names (resources/reading/hanging_protocols.json), listed for lupdate: a reader sees them in the interface language (&quot;胸部CT（与既往检查对比）&quot;), while the file and a reader&apos;s own saved rules keep the name as written.</extracomment>
        <translation>胸部CT（与既往检查对比）</translation>
    </message>
    <message>
        <source>CT abdomen with prior</source>
        <translation>腹部CT（与既往检查对比）</translation>
    </message>
    <message>
        <source>CR chest with prior</source>
        <translation>胸部X线摄影（与既往检查对比）</translation>
    </message>
    <message>
        <source>CT chest</source>
        <translation>胸部CT</translation>
    </message>
    <message>
        <source>CT abdomen</source>
        <translation>腹部CT</translation>
    </message>
    <message>
        <source>CR chest</source>
        <translation>胸部X线摄影</translation>
    </message>
</context>
<context>
    <name>inputs</name>
    <message>
        <source> Did you mean {unit}? ({written} = {converted})</source>
        <extracomment>Age in years: hard bounds only (no unit to slip). Units offered in &quot;did you mean&quot;, in this order (never the rarely used mass units). UCUM codes as clinicians write them.</extracomment>
        <translation> 您是否指 {unit}？（{written} = {converted}）</translation>
    </message>
</context>
<context>
    <name>login.dialog</name>
    <message>
        <source>You must choose a new password before you can continue.</source>
        <translation>您必须先设置新密码才能继续。</translation>
    </message>
</context>
<context>
    <name>login.grant_requests</name>
    <message>
        <source>Your own keys were created on the password you chose, and with them the key to patient data for this workstation.</source>
        <translation>已基于您设置的密码生成您自己的密钥，并随之生成本工作站的患者数据密钥。</translation>
    </message>
    <message>
        <source>Your access to patient data waits for a clinician who has it to approve your request. Read them this key fingerprint so they can check it is yours:

</source>
        <translation>您的患者数据访问权需等待已有访问权的临床医生批准。请向其读出此密钥指纹，以便核对是否为您本人：

</translation>
    </message>
    <message>
        <source>Your key</source>
        <translation>您的密钥</translation>
    </message>
</context>
<context>
    <name>login.password_field</name>
    <message>
        <source>Caps Lock is on.</source>
        <translation>大写锁定已开启。</translation>
    </message>
</context>
<context>
    <name>measurements</name>
    <message>
        <source>arrow</source>
        <translation>箭头</translation>
    </message>
    <message>
        <source>No such study in the store.</source>
        <translation>存储中没有此检查。</translation>
    </message>
    <message>
        <source>Se {number}: {description}</source>
        <translation>序列 {number}：{description}</translation>
    </message>
    <message>
        <source>There are no measurements in patient space to export on this study.</source>
        <translation>此检查没有可导出的患者坐标系测量。</translation>
    </message>
    <message>
        <source>A measured image is no longer in the store.</source>
        <translation>某幅已测量的图像已不在存储中。</translation>
    </message>
    <message>
        <source>{name} already exists; choose another name.</source>
        <translation>{name} 已存在；请换一个名称。</translation>
    </message>
    <message>
        <source>The report could not be written ({reason}).</source>
        <translation>无法写入报告（{reason}）。</translation>
    </message>
</context>
<context>
    <name>model_terms</name>
    <message>
        <source>(ln age)²</source>
        <translation>(ln 年龄)²</translation>
    </message>
    <message>
        <source>10 years</source>
        <translation>10年</translation>
    </message>
    <message>
        <source>2-hour OGTT plasma glucose</source>
        <translation>OGTT 2小时血浆葡萄糖</translation>
    </message>
    <message>
        <source>2-hour OGTT plasma glucose (standardised × coefficient)</source>
        <translation>OGTT 2小时血浆葡萄糖（标准化值 × 系数）</translation>
    </message>
    <message>
        <source>30 years</source>
        <translation>30年</translation>
    </message>
    <message>
        <source>ACC ASCVD Risk Estimator Plus: optimal risk factors are total cholesterol 170 mg/dL, HDL 50 mg/dL, systolic blood pressure 110 mmHg untreated, non-smoker, no diabetes</source>
        <translation>ACC ASCVD Risk Estimator Plus: 总胆固醇 170 mg/dL、高密度脂蛋白胆固醇 50 mg/dL、未经降压治疗的收缩压 110 mmHg、不吸烟、无糖尿病（美国 ACC ASCVD Risk Estimator Plus 的定义）</translation>
    </message>
    <message>
        <source>ACC/AHA Pooled Cohort Equations (10-year ASCVD risk)</source>
        <translation>ACC/AHA 汇总队列方程（10年动脉粥样硬化性心血管病（ASCVD）发病风险）</translation>
    </message>
    <message>
        <source>AHA PREVENT (10-year cardiovascular risk)</source>
        <translation>AHA PREVENT（10年心血管病风险）</translation>
    </message>
    <message>
        <source>AHA PREVENT (30-year cardiovascular risk)</source>
        <translation>AHA PREVENT（30年心血管病风险）</translation>
    </message>
    <message>
        <source>AHA PREVENT full model (10-year cardiovascular risk)</source>
        <translation>AHA PREVENT 完整模型（10年心血管病风险）</translation>
    </message>
    <message>
        <source>AHA PREVENT full model (30-year cardiovascular risk)</source>
        <translation>AHA PREVENT 完整模型（30年心血管病风险）</translation>
    </message>
    <message>
        <source>AHA PREVENT with HbA1c (10-year cardiovascular risk)</source>
        <translation>AHA PREVENT 加糖化血红蛋白模型（10年心血管病风险）</translation>
    </message>
    <message>
        <source>AHA PREVENT with HbA1c (30-year cardiovascular risk)</source>
        <translation>AHA PREVENT 加糖化血红蛋白模型（30年心血管病风险）</translation>
    </message>
    <message>
        <source>AHA PREVENT with urine albumin (10-year cardiovascular risk)</source>
        <translation>AHA PREVENT 加尿白蛋白模型（10年心血管病风险）</translation>
    </message>
    <message>
        <source>AHA PREVENT with urine albumin (30-year cardiovascular risk)</source>
        <translation>AHA PREVENT 加尿白蛋白模型（30年心血管病风险）</translation>
    </message>
    <message>
        <source>Adults (18 years or older) with chronic liver disease.</source>
        <translation>患有慢性肝病的成人（18岁及以上）。</translation>
    </message>
    <message>
        <source>Adults 30-59 years without known cardiovascular disease (primary prevention).</source>
        <translation>无已知心血管病的30–59岁成人（一级预防）。</translation>
    </message>
    <message>
        <source>Adults 30-74 years free of cardiovascular disease (derivation: Framingham original and offspring cohorts, predominantly white).</source>
        <translation>无心血管病的30–74岁成人（推导人群：Framingham 原始队列及子代队列，以白人为主）。</translation>
    </message>
    <message>
        <source>Adults 30-79 years without known cardiovascular disease (primary prevention).</source>
        <translation>无已知心血管病的30–79岁成人（一级预防）。</translation>
    </message>
    <message>
        <source>Adults 40-79 years without clinical ASCVD, LDL &lt; 190 mg/dL, not on statin therapy for secondary prevention.</source>
        <translation>无临床 ASCVD、LDL &lt; 190 mg/dL、未因二级预防接受他汀治疗的40–79岁成人。</translation>
    </message>
    <message>
        <source>Adults with atrial fibrillation (not with a mechanical valve or moderate-severe mitral stenosis).</source>
        <translation>心房颤动成人患者（不含机械瓣膜或中重度二尖瓣狭窄）。</translation>
    </message>
    <message>
        <source>Adults with chronic liver disease (transplant listing, prognosis).</source>
        <translation>慢性肝病成人患者（肝移植排队、预后评估）。</translation>
    </message>
    <message>
        <source>Adults with non-valvular atrial fibrillation.</source>
        <translation>非瓣膜性心房颤动成人患者。</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <source>Age (standardised × coefficient)</source>
        <translation>年龄（标准化值 × 系数）</translation>
    </message>
    <message>
        <source>Atrial fibrillation</source>
        <translation>心房颤动</translation>
    </message>
    <message>
        <source>Blood pressure</source>
        <translation>血压</translation>
    </message>
    <message>
        <source>Body mass index</source>
        <translation>体重指数</translation>
    </message>
    <message>
        <source>Body mass index (standardised × coefficient)</source>
        <translation>体重指数（标准化值 × 系数）</translation>
    </message>
    <message>
        <source>Body-mass index</source>
        <translation>体重指数</translation>
    </message>
    <message>
        <source>CHA2DS2-VA (stroke risk in atrial fibrillation, ESC 2024)</source>
        <translation>CHA2DS2-VA（心房颤动卒中风险，ESC 2024）</translation>
    </message>
    <message>
        <source>CHA2DS2-VASc (stroke risk in atrial fibrillation)</source>
        <translation>CHA2DS2-VASc（心房颤动卒中风险）</translation>
    </message>
    <message>
        <source>CT focal hyperdense lesion / nodule detector (DEMO, synthetic data)</source>
        <translation>CT 局灶性高密度病灶/结节检测（演示，合成数据）</translation>
    </message>
    <message>
        <source>Chest radiograph nodule classifier with CAM (DEMO, synthetic data)</source>
        <translation>胸部X线片结节分类（含 CAM 热图，演示，合成数据）</translation>
    </message>
    <message>
        <source>China-PAR (10-year ASCVD risk, Chinese adults)</source>
        <translation>China-PAR（中国成人10年动脉粥样硬化性心血管病（ASCVD）发病风险）</translation>
    </message>
    <message>
        <source>Chinese adults 35-74 years without ASCVD (primary prevention). Derived in 21,320 participants of the China MUCA (1998) and InterASIA cohorts, followed 12.3 years (median); validated in the CIMIC cohort (14,123) and the CHCN-BTH cohort (70,838). Not validated outside Chinese populations.</source>
        <translation>无 ASCVD 的35–74岁中国成人（一级预防）。基于中国多省市心血管病危险因素队列研究（China MUCA，1998）和亚洲心血管病国际合作研究（InterASIA）的21,320名参与者建立，中位随访12.3年；在中国心血管健康多中心合作研究（CIMIC，14,123人）和京津冀队列（CHCN-BTH，70,838人）中验证。未在中国以外人群中验证。</translation>
    </message>
    <message>
        <source>Current smoker</source>
        <translation>目前吸烟</translation>
    </message>
    <message>
        <source>D&apos;Agostino 2008: derived in participants 30-74 years</source>
        <translation>D&apos;Agostino 2008：在 30-74 岁参与者中推导</translation>
    </message>
    <message>
        <source>Diabetes</source>
        <translation>糖尿病</translation>
    </message>
    <message>
        <source>Diabetes (Pima) - DEMO</source>
        <translation>糖尿病（Pima）- 演示</translation>
    </message>
    <message>
        <source>Diabetes pedigree function</source>
        <translation>糖尿病家系函数</translation>
    </message>
    <message>
        <source>Diabetes pedigree function (standardised × coefficient)</source>
        <translation>糖尿病家系函数（标准化值 × 系数）</translation>
    </message>
    <message>
        <source>Dialysis</source>
        <translation>透析</translation>
    </message>
    <message>
        <source>Family history of ASCVD</source>
        <translation>ASCVD 家族史</translation>
    </message>
    <message>
        <source>Framingham general cardiovascular disease (10-year risk)</source>
        <translation>Framingham 总体心血管病（10年风险）</translation>
    </message>
    <message>
        <source>Goff 2013 ACC/AHA guideline (valid ranges of the Pooled Cohort Equations)</source>
        <translation>Goff 2013 ACC/AHA 指南（汇总队列方程的有效范围）</translation>
    </message>
    <message>
        <source>HDL cholesterol</source>
        <translation>高密度脂蛋白胆固醇</translation>
    </message>
    <message>
        <source>HbA1c</source>
        <translation>糖化血红蛋白（HbA1c）</translation>
    </message>
    <message>
        <source>HbA1c (with diabetes)</source>
        <translation>糖化血红蛋白（有糖尿病）</translation>
    </message>
    <message>
        <source>HbA1c (without diabetes)</source>
        <translation>糖化血红蛋白（无糖尿病）</translation>
    </message>
    <message>
        <source>Heart failure / LV dysfunction</source>
        <translation>心力衰竭/左心室功能不全</translation>
    </message>
    <message>
        <source>Hypertension</source>
        <translation>高血压</translation>
    </message>
    <message>
        <source>INR</source>
        <translation>INR</translation>
    </message>
    <message>
        <source>Khan 2024 (PREVENT add-on model ranges, as implemented in preventr 0.10)</source>
        <translation>Khan 2024（PREVENT 扩展模型的范围，按 preventr 0.10 的实现）</translation>
    </message>
    <message>
        <source>Khan 2024 (PREVENT derivation ranges, as implemented in preventr 0.10)</source>
        <translation>Khan 2024（PREVENT 推导人群的范围，按 preventr 0.10 的实现）</translation>
    </message>
    <message>
        <source>Kidney function (eGFR)</source>
        <translation>肾功能（eGFR）</translation>
    </message>
    <message>
        <source>Known cardiovascular disease</source>
        <translation>已知心血管病</translation>
    </message>
    <message>
        <source>LDL-C ≥ 190 mg/dL (treat without estimating risk)</source>
        <translation>LDL-C ≥ 190 mg/dL（无需评估风险，直接治疗）</translation>
    </message>
    <message>
        <source>MELD (original UNOS form, superseded)</source>
        <translation>MELD（UNOS 原始版本，已被取代）</translation>
    </message>
    <message>
        <source>MELD 3.0 (OPTN 2023)</source>
        <translation>MELD 3.0（OPTN 2023）</translation>
    </message>
    <message>
        <source>MELD before the sodium correction</source>
        <translation>血钠校正前的 MELD</translation>
    </message>
    <message>
        <source>MELD-Na (OPTN/UNOS 2016)</source>
        <translation>MELD-Na（OPTN/UNOS 2016）</translation>
    </message>
    <message>
        <source>None: demonstration on synthetic phantoms only. Not for clinical use.</source>
        <translation>无：仅在合成体模上演示。不得用于临床。</translation>
    </message>
    <message>
        <source>Number of pregnancies</source>
        <translation>妊娠次数</translation>
    </message>
    <message>
        <source>Number of pregnancies (standardised × coefficient)</source>
        <translation>妊娠次数（标准化值 × 系数）</translation>
    </message>
    <message>
        <source>OPTN rule: INR below 1.0 counted as 1.0</source>
        <translation>OPTN 规则：INR 低于 1.0 按 1.0 计</translation>
    </message>
    <message>
        <source>OPTN rule: MELD 3.0 bounded to 6-40</source>
        <translation>OPTN 规则：MELD 3.0 限定在 6–40</translation>
    </message>
    <message>
        <source>OPTN rule: MELD-Na bounded to 6-40</source>
        <translation>OPTN 规则：MELD-Na 限定在 6–40</translation>
    </message>
    <message>
        <source>OPTN rule: albumin counted between 1.5 and 3.5 g/dL</source>
        <translation>OPTN 规则：白蛋白按 1.5–3.5 g/dL 计</translation>
    </message>
    <message>
        <source>OPTN rule: bilirubin below 1.0 counted as 1.0</source>
        <translation>OPTN 规则：胆红素低于 1.0 按 1.0 计</translation>
    </message>
    <message>
        <source>OPTN rule: creatinine counted between 1.0 and 3.0 mg/dL</source>
        <translation>OPTN 规则：肌酐按 1.0–3.0 mg/dL 计</translation>
    </message>
    <message>
        <source>OPTN rule: creatinine counted between 1.0 and 4.0 mg/dL</source>
        <translation>OPTN 规则：肌酐按 1.0–4.0 mg/dL 计</translation>
    </message>
    <message>
        <source>OPTN rule: sodium counted between 125 and 137 mmol/L</source>
        <translation>OPTN 规则：血钠按 125–137 mmol/L 计</translation>
    </message>
    <message>
        <source>On a statin</source>
        <translation>正在服用他汀类药物</translation>
    </message>
    <message>
        <source>On blood-pressure medication</source>
        <translation>正在服用降压药物</translation>
    </message>
    <message>
        <source>Prior stroke/TIA/thromboembolism</source>
        <translation>既往卒中/TIA/血栓栓塞</translation>
    </message>
    <message>
        <source>Race</source>
        <translation>种族</translation>
    </message>
    <message>
        <source>Region of China</source>
        <translation>所在地区（南方/北方）</translation>
    </message>
    <message>
        <source>Residence</source>
        <translation>居住地（城市/农村）</translation>
    </message>
    <message>
        <source>Serum albumin</source>
        <translation>血清白蛋白</translation>
    </message>
    <message>
        <source>Serum creatinine</source>
        <translation>血清肌酐</translation>
    </message>
    <message>
        <source>Serum sodium</source>
        <translation>血清钠</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Smoking</source>
        <translation>吸烟</translation>
    </message>
    <message>
        <source>Systolic blood pressure</source>
        <translation>收缩压</translation>
    </message>
    <message>
        <source>Total bilirubin</source>
        <translation>总胆红素</translation>
    </message>
    <message>
        <source>Total cholesterol</source>
        <translation>总胆固醇</translation>
    </message>
    <message>
        <source>UNOS rule: INR below 1.0 counted as 1.0</source>
        <translation>UNOS 规则：INR 低于 1.0 按 1.0 计</translation>
    </message>
    <message>
        <source>UNOS rule: MELD bounded to 6-40</source>
        <translation>UNOS 规则：MELD 限定在 6–40</translation>
    </message>
    <message>
        <source>UNOS rule: bilirubin below 1.0 counted as 1.0</source>
        <translation>UNOS 规则：胆红素低于 1.0 按 1.0 计</translation>
    </message>
    <message>
        <source>UNOS rule: creatinine counted between 1.0 and 4.0 mg/dL</source>
        <translation>UNOS 规则：肌酐按 1.0–4.0 mg/dL 计</translation>
    </message>
    <message>
        <source>Urine albumin-to-creatinine ratio</source>
        <translation>尿白蛋白/肌酐比值</translation>
    </message>
    <message>
        <source>Vascular disease</source>
        <translation>血管疾病</translation>
    </message>
    <message>
        <source>Waist circumference</source>
        <translation>腰围</translation>
    </message>
    <message>
        <source>Women of Pima Indian heritage aged 21 or more, near Phoenix, Arizona (the study population). No other population.</source>
        <translation>居住在亚利桑那州菲尼克斯附近、21岁及以上的皮马印第安裔女性（研究人群）。不适用于其他人群。</translation>
    </message>
    <message>
        <source>Yang 2016: derived and validated in adults 35-74 years</source>
        <translation>Yang 2016：在 35-74 岁成人中推导和验证</translation>
    </message>
    <message>
        <source>adults (ESC 2024 AF guideline); upper bound app-defined</source>
        <translation>成人（ESC 2024 心房颤动指南）；上限由本应用设定</translation>
    </message>
    <message>
        <source>adults (Lip 2010 derivation: Euro Heart Survey); upper bound app-defined</source>
        <translation>成人（Lip 2010 推导：欧洲心脏调查）；上限由本应用设定</translation>
    </message>
    <message>
        <source>african_american</source>
        <translation>非裔美国人</translation>
    </message>
    <message>
        <source>age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <source>age (squared)</source>
        <translation>年龄（平方）</translation>
    </message>
    <message>
        <source>age 65-74</source>
        <translation>年龄 65–74 岁</translation>
    </message>
    <message>
        <source>age with HDL cholesterol</source>
        <translation>年龄与高密度脂蛋白胆固醇交互项</translation>
    </message>
    <message>
        <source>age with body-mass index</source>
        <translation>年龄与体重指数交互项</translation>
    </message>
    <message>
        <source>age with diabetes</source>
        <translation>年龄与糖尿病交互项</translation>
    </message>
    <message>
        <source>age with kidney function</source>
        <translation>年龄与肾功能交互项</translation>
    </message>
    <message>
        <source>age with non-HDL cholesterol</source>
        <translation>年龄与非高密度脂蛋白胆固醇交互项</translation>
    </message>
    <message>
        <source>age with smoking</source>
        <translation>年龄与吸烟交互项</translation>
    </message>
    <message>
        <source>age with systolic pressure</source>
        <translation>年龄与收缩压交互项</translation>
    </message>
    <message>
        <source>age ≥ 75</source>
        <translation>年龄 ≥ 75 岁</translation>
    </message>
    <message>
        <source>albumin</source>
        <translation>白蛋白</translation>
    </message>
    <message>
        <source>albumin with creatinine</source>
        <translation>白蛋白与肌酐交互项</translation>
    </message>
    <message>
        <source>any clinical decision</source>
        <translation>任何临床决策</translation>
    </message>
    <message>
        <source>any clinical decision (demo model)</source>
        <translation>任何临床决策（演示模型）</translation>
    </message>
    <message>
        <source>app-defined physiological bound; values outside are almost always unit or entry errors</source>
        <translation>本应用设定的生理界限；超出者几乎都是单位或录入错误</translation>
    </message>
    <message>
        <source>app-defined plausibility bound (the paper gives no range); values outside are computed but flagged as extrapolated</source>
        <translation>本应用设定的合理界限（原文未给出范围）；超出者仍计算，但标记为外推</translation>
    </message>
    <message>
        <source>atherosclerotic cardiovascular disease (coronary heart disease or stroke)</source>
        <translation>动脉粥样硬化性心血管病（冠心病或卒中）</translation>
    </message>
    <message>
        <source>atrial fibrillation status not given: CHA2DS2-VA applies only to patients with AF</source>
        <translation>未提供心房颤动情况：CHA2DS2-VA 仅适用于心房颤动患者</translation>
    </message>
    <message>
        <source>atrial fibrillation status not given: CHA2DS2-VASc applies only to patients with AF</source>
        <translation>未提供心房颤动情况：CHA2DS2-VASc 仅适用于心房颤动患者</translation>
    </message>
    <message>
        <source>bilirubin</source>
        <translation>胆红素</translation>
    </message>
    <message>
        <source>blood-pressure medication</source>
        <translation>降压药物</translation>
    </message>
    <message>
        <source>blood-pressure medication with systolic pressure</source>
        <translation>降压药物与收缩压交互项</translation>
    </message>
    <message>
        <source>body-mass index below 30</source>
        <translation>体重指数低于 30</translation>
    </message>
    <message>
        <source>body-mass index from 30</source>
        <translation>体重指数 30 及以上</translation>
    </message>
    <message>
        <source>borderline</source>
        <translation>临界</translation>
    </message>
    <message>
        <source>candidates registered before age 18 (a different constant applies; not included)</source>
        <translation>18岁前登记的候选者（适用不同常数；未包含）</translation>
    </message>
    <message>
        <source>children</source>
        <translation>儿童</translation>
    </message>
    <message>
        <source>congestive heart failure / LV dysfunction</source>
        <translation>充血性心力衰竭/左心室功能不全</translation>
    </message>
    <message>
        <source>creatinine</source>
        <translation>肌酐</translation>
    </message>
    <message>
        <source>current smoker</source>
        <translation>目前吸烟</translation>
    </message>
    <message>
        <source>current smoking</source>
        <translation>目前吸烟</translation>
    </message>
    <message>
        <source>diabetes</source>
        <translation>糖尿病</translation>
    </message>
    <message>
        <source>diabetes mellitus</source>
        <translation>糖尿病</translation>
    </message>
    <message>
        <source>dialysis: creatinine set to 3.0 mg/dL (OPTN rule)</source>
        <translation>透析：肌酐按 3.0 mg/dL 计（OPTN 规则）</translation>
    </message>
    <message>
        <source>dialysis: creatinine set to 4.0 mg/dL (OPTN rule)</source>
        <translation>透析：肌酐按 4.0 mg/dL 计（OPTN 规则）</translation>
    </message>
    <message>
        <source>dialysis: creatinine set to 4.0 mg/dL (UNOS rule)</source>
        <translation>透析：肌酐按 4.0 mg/dL 计（UNOS 规则）</translation>
    </message>
    <message>
        <source>family history of ASCVD</source>
        <translation>ASCVD 家族史</translation>
    </message>
    <message>
        <source>female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>female sex</source>
        <translation>女性</translation>
    </message>
    <message>
        <source>heart failure</source>
        <translation>心力衰竭</translation>
    </message>
    <message>
        <source>high</source>
        <translation>高危</translation>
    </message>
    <message>
        <source>high (anticoagulation recommended)</source>
        <translation>高危（推荐抗凝）</translation>
    </message>
    <message>
        <source>hyperdense focal lesion</source>
        <translation>局灶性高密度病灶</translation>
    </message>
    <message>
        <source>hypertension</source>
        <translation>高血压</translation>
    </message>
    <message>
        <source>intermediate</source>
        <translation>中危</translation>
    </message>
    <message>
        <source>intermediate (consider anticoagulation)</source>
        <translation>中危（考虑抗凝）</translation>
    </message>
    <message>
        <source>kidney function (eGFR) below 60</source>
        <translation>肾功能（eGFR）低于 60</translation>
    </message>
    <message>
        <source>kidney function (eGFR) from 60</source>
        <translation>肾功能（eGFR）60 及以上</translation>
    </message>
    <message>
        <source>known ASCVD (secondary prevention)</source>
        <translation>已知 ASCVD（二级预防）</translation>
    </message>
    <message>
        <source>known cardiovascular disease</source>
        <translation>已知心血管病</translation>
    </message>
    <message>
        <source>known cardiovascular disease (secondary prevention)</source>
        <translation>已知心血管病（二级预防）</translation>
    </message>
    <message>
        <source>known cardiovascular disease in the record: China-PAR is for primary prevention only and underestimates this patient&apos;s risk</source>
        <translation>病历中有已知心血管病：China-PAR 仅用于一级预防，会低估该患者的风险</translation>
    </message>
    <message>
        <source>known cardiovascular disease in the record: PREVENT is for primary prevention only and underestimates this patient&apos;s risk</source>
        <translation>病历中有已知心血管病：PREVENT 仅用于一级预防，会低估该患者的风险</translation>
    </message>
    <message>
        <source>known cardiovascular disease in the record: the Framingham general CVD score is for primary prevention only and underestimates this patient&apos;s risk</source>
        <translation>病历中有已知心血管病：Framingham 总体心血管病评分仅用于一级预防，会低估该患者的风险</translation>
    </message>
    <message>
        <source>known cardiovascular disease in the record: the Pooled Cohort Equations is for primary prevention only and underestimates this patient&apos;s risk</source>
        <translation>病历中有已知心血管病：汇总队列方程仅用于一级预防，会低估该患者的风险</translation>
    </message>
    <message>
        <source>lateral or AP supine views</source>
        <translation>侧位或仰卧前后位片</translation>
    </message>
    <message>
        <source>ln HDL</source>
        <translation>ln 高密度脂蛋白胆固醇</translation>
    </message>
    <message>
        <source>ln age</source>
        <translation>ln 年龄</translation>
    </message>
    <message>
        <source>ln age × family history</source>
        <translation>ln 年龄 × 家族史</translation>
    </message>
    <message>
        <source>ln age × ln HDL</source>
        <translation>ln 年龄 × ln 高密度脂蛋白胆固醇</translation>
    </message>
    <message>
        <source>ln age × ln total cholesterol</source>
        <translation>ln 年龄 × ln 总胆固醇</translation>
    </message>
    <message>
        <source>ln age × ln treated SBP</source>
        <translation>ln 年龄 × ln 治疗后收缩压</translation>
    </message>
    <message>
        <source>ln age × ln untreated SBP</source>
        <translation>ln 年龄 × ln 未治疗收缩压</translation>
    </message>
    <message>
        <source>ln age × smoker</source>
        <translation>ln 年龄 × 吸烟</translation>
    </message>
    <message>
        <source>ln total cholesterol</source>
        <translation>ln 总胆固醇</translation>
    </message>
    <message>
        <source>ln treated SBP</source>
        <translation>ln 治疗后收缩压</translation>
    </message>
    <message>
        <source>ln untreated SBP</source>
        <translation>ln 未治疗收缩压</translation>
    </message>
    <message>
        <source>ln waist circumference</source>
        <translation>ln 腰围</translation>
    </message>
    <message>
        <source>low</source>
        <translation>低危</translation>
    </message>
    <message>
        <source>low (anticoagulation not indicated)</source>
        <translation>低危（无需抗凝）</translation>
    </message>
    <message>
        <source>male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>mechanical heart valve or moderate-severe mitral stenosis</source>
        <translation>机械心脏瓣膜或中重度二尖瓣狭窄</translation>
    </message>
    <message>
        <source>men</source>
        <translation>男性</translation>
    </message>
    <message>
        <source>no atrial fibrillation (the score is not validated outside AF)</source>
        <translation>无心房颤动（该评分未在心房颤动以外人群中验证）</translation>
    </message>
    <message>
        <source>no atrial fibrillation recorded: CHA2DS2-VA applies only to patients with AF</source>
        <translation>病历中未记录心房颤动：CHA2DS2-VA 仅适用于心房颤动患者</translation>
    </message>
    <message>
        <source>no atrial fibrillation recorded: CHA2DS2-VASc applies only to patients with AF</source>
        <translation>病历中未记录心房颤动：CHA2DS2-VASc 仅适用于心房颤动患者</translation>
    </message>
    <message>
        <source>non-HDL cholesterol</source>
        <translation>非高密度脂蛋白胆固醇</translation>
    </message>
    <message>
        <source>non-axial reconstructions</source>
        <translation>非轴位重建</translation>
    </message>
    <message>
        <source>north</source>
        <translation>北方</translation>
    </message>
    <message>
        <source>northern China</source>
        <translation>北方</translation>
    </message>
    <message>
        <source>not applicable: no AF recorded</source>
        <translation>不适用：未记录心房颤动</translation>
    </message>
    <message>
        <source>other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>paediatric radiographs</source>
        <translation>儿科X线片</translation>
    </message>
    <message>
        <source>patients on anticoagulants (INR not liver-driven)</source>
        <translation>正在服用抗凝药的患者（INR 非肝源性升高）</translation>
    </message>
    <message>
        <source>patients outside the Chinese population the equations were derived in</source>
        <translation>方程推导人群（中国人群）以外的患者</translation>
    </message>
    <message>
        <source>pulmonary nodule</source>
        <translation>肺结节</translation>
    </message>
    <message>
        <source>race &apos;other&apos;: the white equations were used, as the guideline directs; they may over- or underestimate risk</source>
        <translation>种族为“其他”：按指南要求使用白人方程；可能高估或低估风险</translation>
    </message>
    <message>
        <source>range of the training data (Pima.tr)</source>
        <translation>训练数据的范围（Pima.tr）</translation>
    </message>
    <message>
        <source>rural</source>
        <translation>农村</translation>
    </message>
    <message>
        <source>same age and sex</source>
        <translation>年龄、性别相同</translation>
    </message>
    <message>
        <source>same age and sex, optimal risk factors</source>
        <translation>年龄、性别相同且危险因素处于理想水平</translation>
    </message>
    <message>
        <source>same age, sex and race</source>
        <translation>年龄、性别、种族相同</translation>
    </message>
    <message>
        <source>same age, sex and race, optimal risk factors</source>
        <translation>年龄、性别、种族相同且危险因素处于理想水平</translation>
    </message>
    <message>
        <source>same age, sex, kidney function, HbA1c, body-mass index and statin use</source>
        <translation>年龄、性别、肾功能、糖化血红蛋白、体重指数及他汀使用情况相同</translation>
    </message>
    <message>
        <source>same age, sex, kidney function, HbA1c, body-mass index and statin use, optimal risk factors</source>
        <translation>年龄、性别、肾功能、糖化血红蛋白、体重指数及他汀使用情况相同且危险因素处于理想水平</translation>
    </message>
    <message>
        <source>same age, sex, kidney function, body-mass index and statin use</source>
        <translation>年龄、性别、肾功能、体重指数及他汀使用情况相同</translation>
    </message>
    <message>
        <source>same age, sex, kidney function, body-mass index and statin use, optimal risk factors</source>
        <translation>年龄、性别、肾功能、体重指数及他汀使用情况相同且危险因素处于理想水平</translation>
    </message>
    <message>
        <source>same age, sex, kidney function, urine albumin, HbA1c, body-mass index and statin use</source>
        <translation>年龄、性别、肾功能、尿白蛋白、糖化血红蛋白、体重指数及他汀使用情况相同</translation>
    </message>
    <message>
        <source>same age, sex, kidney function, urine albumin, HbA1c, body-mass index and statin use, optimal risk factors</source>
        <translation>年龄、性别、肾功能、尿白蛋白、糖化血红蛋白、体重指数及他汀使用情况相同且危险因素处于理想水平</translation>
    </message>
    <message>
        <source>same age, sex, kidney function, urine albumin, body-mass index and statin use</source>
        <translation>年龄、性别、肾功能、尿白蛋白、体重指数及他汀使用情况相同</translation>
    </message>
    <message>
        <source>same age, sex, kidney function, urine albumin, body-mass index and statin use, optimal risk factors</source>
        <translation>年龄、性别、肾功能、尿白蛋白、体重指数及他汀使用情况相同且危险因素处于理想水平</translation>
    </message>
    <message>
        <source>same age, sex, waist, region, residence and family history</source>
        <translation>年龄、性别、腰围、地区、城乡及家族史相同</translation>
    </message>
    <message>
        <source>same age, sex, waist, region, residence and family history, optimal risk factors</source>
        <translation>年龄、性别、腰围、地区、城乡及家族史相同且危险因素处于理想水平（理想水平按美国定义）</translation>
    </message>
    <message>
        <source>sex category (female)</source>
        <translation>性别类别（女性）</translation>
    </message>
    <message>
        <source>slices thicker than 5 mm</source>
        <translation>层厚大于 5 mm</translation>
    </message>
    <message>
        <source>sodium</source>
        <translation>血钠</translation>
    </message>
    <message>
        <source>sodium correction</source>
        <translation>血钠校正</translation>
    </message>
    <message>
        <source>sodium with bilirubin</source>
        <translation>血钠与胆红素交互项</translation>
    </message>
    <message>
        <source>south</source>
        <translation>南方</translation>
    </message>
    <message>
        <source>statin</source>
        <translation>他汀类药物</translation>
    </message>
    <message>
        <source>statin with non-HDL cholesterol</source>
        <translation>他汀类药物与非高密度脂蛋白胆固醇交互项</translation>
    </message>
    <message>
        <source>stroke, TIA or thromboembolism</source>
        <translation>卒中、TIA 或血栓栓塞</translation>
    </message>
    <message>
        <source>superseded for US allocation by MELD 3.0 (2023)</source>
        <translation>在美国器官分配中已被 MELD 3.0（2023）取代</translation>
    </message>
    <message>
        <source>superseded for US allocation by MELD-Na (2016) and MELD 3.0 (2023)</source>
        <translation>在美国器官分配中已被 MELD-Na（2016）和 MELD 3.0（2023）取代</translation>
    </message>
    <message>
        <source>systolic blood pressure below 110</source>
        <translation>收缩压低于 110</translation>
    </message>
    <message>
        <source>systolic blood pressure from 110</source>
        <translation>收缩压 110 及以上</translation>
    </message>
    <message>
        <source>urban</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>urban residence</source>
        <translation>城市居住</translation>
    </message>
    <message>
        <source>urine albumin-to-creatinine ratio</source>
        <translation>尿白蛋白/肌酐比值</translation>
    </message>
    <message>
        <source>vascular disease</source>
        <translation>血管疾病</translation>
    </message>
    <message>
        <source>white</source>
        <translation>白人</translation>
    </message>
</context>
<context>
    <name>physician.adapt</name>
    <message>
        <source>ASCVD 10y (PCE)</source>
        <extracomment>Short column titles for the shipped models (others use their name up to &quot; (&quot;).</extracomment>
        <translation>PCE 10年ASCVD</translation>
    </message>
    <message>
        <source>ASCVD 10y (China-PAR)</source>
        <translation>China-PAR 10年ASCVD</translation>
    </message>
    <message>
        <source>CVD 10y (PREVENT)</source>
        <translation>PREVENT 10年心血管病</translation>
    </message>
    <message>
        <source>CVD 30y (PREVENT)</source>
        <translation>PREVENT 30年心血管病</translation>
    </message>
    <message>
        <source>Framingham CVD 10y</source>
        <translation>Framingham 10年心血管病</translation>
    </message>
    <message>
        <source>MELD 3.0</source>
        <translation>MELD 3.0</translation>
    </message>
    <message>
        <source>MELD (superseded)</source>
        <translation>MELD（已被取代）</translation>
    </message>
    <message>
        <source>Diabetes (DEMO)</source>
        <translation>糖尿病（演示）</translation>
    </message>
    <message>
        <source>model no longer installed</source>
        <translation>模型已不再安装</translation>
    </message>
    <message>
        <source>not in the record: counted as no ({source})</source>
        <translation>病历中无记录：按“否”计（{source}）</translation>
    </message>
    <message>
        <source>not in the record: counted as no</source>
        <translation>病历中无记录：按“否”计</translation>
    </message>
    <message>
        <source>Scored {patients} patients: {scored} results stored, {not_computed} model results could not be computed.</source>
        <translation>已为 {patients} 名患者评分：保存 {scored} 个结果，{not_computed} 个模型结果无法计算。</translation>
    </message>
</context>
<context>
    <name>physician.follow_up</name>
    <message>
        <source>{delta:+.1f} percentage points</source>
        <translation>{delta:+.1f} 个百分点</translation>
    </message>
    <message>
        <source>not used</source>
        <translation>未使用</translation>
    </message>
    <message>
        <source>{score} on {day}</source>
        <translation>{score}（{day}）</translation>
    </message>
    <message>
        <source>No stored score for this model yet.</source>
        <translation>此模型尚无保存的评分。</translation>
    </message>
    <message>
        <source>Now: {now}. No earlier score is stored to compare with.</source>
        <translation>当前：{now}。没有可供比较的更早评分。</translation>
    </message>
    <message>
        <source>Previous: {before}. Now: {now} ({delta}).</source>
        <translation>上次：{before}。当前：{now}（{delta}）。</translation>
    </message>
    <message>
        <source>The model was updated: version {old} then, {new} now.</source>
        <translation>模型已更新：之前为版本 {old}，现在为 {new}。</translation>
    </message>
    <message>
        <source>What changed in the record:</source>
        <translation>病历中的变化：</translation>
    </message>
    <message>
        <source> (measured {old} and {new})</source>
        <translation>（测量于 {old} 和 {new}）</translation>
    </message>
    <message>
        <source>  {label}: {old}{unit} then, {new}{unit} now{when}</source>
        <translation>  {label}：之前 {old}{unit}，现在 {new}{unit}{when}</translation>
    </message>
    <message>
        <source>The inputs are the same; only the date of the calculation differs.</source>
        <translation>输入相同；仅计算日期不同。</translation>
    </message>
    <message>
        <source>Each factor&apos;s share of the risk above optimal:</source>
        <translation>各因素在超出理想水平风险中的贡献：</translation>
    </message>
    <message>
        <source>  {label}: {old:+.1f} then, {new:+.1f} now (percentage points)</source>
        <translation>  {label}：之前 {old:+.1f}，现在 {new:+.1f}（百分点）</translation>
    </message>
    <message>
        <source>Lifetime risk of heart attack or stroke (to age 95): {risk:.0f} % ({stratum}); with all risk factors optimal {optimal:.0f} %.</source>
        <translation>心肌梗死或卒中终生风险（至95岁）：{risk:.0f} %（{stratum}）；全部危险因素理想时 {optimal:.0f} %。</translation>
    </message>
</context>
<context>
    <name>physician.import_dialog</name>
    <message>
        <source>Records (*.json *.ndjson *.jsonl *.ndjson.gz *.csv);;FHIR JSON (*.json);;NDJSON (*.ndjson *.jsonl *.ndjson.gz);;CSV (*.csv)</source>
        <translation>病历 (*.json *.ndjson *.jsonl *.ndjson.gz *.csv);;FHIR JSON (*.json);;NDJSON (*.ndjson *.jsonl *.ndjson.gz);;CSV (*.csv)</translation>
    </message>
</context>
<context>
    <name>physician.patient_list</name>
    <message>
        <source>any category</source>
        <translation>任意分层</translation>
    </message>
    <message>
        <source>cannot compute</source>
        <translation>无法计算</translation>
    </message>
    <message>
        <source>Name / MRN</source>
        <translation>姓名 / MRN</translation>
    </message>
    <message>
        <source>Born / age</source>
        <translation>出生日期 / 年龄</translation>
    </message>
    <message>
        <source>Oldest input</source>
        <translation>最早的输入项</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
</context>
<context>
    <name>physician.presentation</name>
    <message>
        <source>cannot compute</source>
        <extracomment>Category name (as the service returns it) → banner kind in the theme. Sort rank of a category (higher is worse); unknown categories sort with &quot;borderline&quot;.</extracomment>
        <translation>无法计算</translation>
    </message>
    <message>
        <source>{points:+.1f} percentage points</source>
        <translation>{points:+.1f} 个百分点</translation>
    </message>
    <message>
        <source>{CANNOT_COMPUTE}: missing {join}</source>
        <translation>{CANNOT_COMPUTE}：缺少{join}</translation>
    </message>
    <message>
        <source>at scoring date</source>
        <translation>评分日期</translation>
    </message>
    <message>
        <source>{text} (stale)</source>
        <translation>{text}（过期）</translation>
    </message>
</context>
<context>
    <name>physician.report</name>
    <message>
        <source>Export risk report</source>
        <translation>导出风险报告</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Report exported</source>
        <translation>报告已导出</translation>
    </message>
    <message>
        <source>The risk report ({pages} page{value}) was written to {pdf}, with {len} FHIR RiskAssessments in {name} beside it.</source>
        <translation>风险报告（{pages} 页）已写入 {pdf}，同目录下的 {name} 中含 {len} 个 FHIR RiskAssessment。</translation>
    </message>
</context>
<context>
    <name>physician.risk_panel</name>
    <message>
        <source>DEMO MODEL — NOT FOR CLINICAL USE. This model was built for demonstration; do not base treatment decisions on it.</source>
        <translation>演示模型 — 不得用于临床。此模型仅为演示而构建；请勿据此作出治疗决策。</translation>
    </message>
    <message>
        <source>total cholesterol 170 mg/dL, HDL cholesterol 50 mg/dL, systolic blood pressure 110 mmHg without treatment, not smoking, no diabetes (as the ACC ASCVD Risk Estimator Plus defines them)</source>
        <translation>总胆固醇 170 mg/dL，高密度脂蛋白胆固醇 50 mg/dL，未治疗收缩压 110 mmHg，不吸烟，无糖尿病（按 ACC ASCVD Risk Estimator Plus 的定义）</translation>
    </message>
</context>
<context>
    <name>physician.summary</name>
    <message>
        <source>Images and AI findings open read-only for physicians. Running an analysis and accepting or rejecting a finding are the radiologist&apos;s signed acts.</source>
        <translation>临床医生只能只读查看影像和 AI 发现。运行分析以及接受或拒绝发现须由放射科医生签署完成。</translation>
    </message>
    <message>
        <source>outpatient</source>
        <extracomment>UCUM codes of results no score reads, as clinicians write them (every observation of an export is shown, so temperatures and blood counts arrive in UCUM: &quot;Cel&quot;, &quot;10*3/uL&quot;). Width of the latest-values table&apos;s Measurement column, in pixels (about 34 characters). Order of the latest-values table: vitals first, then labs, then the rest by name. Encounter.class (v3 ActCode) in words.</extracomment>
        <translation>门诊</translation>
    </message>
    <message>
        <source>inpatient</source>
        <translation>住院</translation>
    </message>
    <message>
        <source>emergency</source>
        <translation>急诊</translation>
    </message>
    <message>
        <source>home health</source>
        <translation>居家医疗</translation>
    </message>
    <message>
        <source>virtual</source>
        <translation>远程就诊</translation>
    </message>
    <message>
        <source>inpatient acute</source>
        <translation>急症住院</translation>
    </message>
    <message>
        <source>inpatient non-acute</source>
        <translation>非急症住院</translation>
    </message>
    <message>
        <source>observation</source>
        <translation>留观</translation>
    </message>
    <message>
        <source>day stay</source>
        <translation>日间住院</translation>
    </message>
    <message>
        <source>pre-admission</source>
        <translation>入院前</translation>
    </message>
    <message>
        <source>field</source>
        <translation>院外（现场）</translation>
    </message>
    <message>
        <source>Vitals</source>
        <extracomment>Interpreted facts that are vital signs (everything else interpreted is a lab value).</extracomment>
        <translation>生命体征</translation>
    </message>
    <message>
        <source>Labs</source>
        <translation>化验</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>only value</source>
        <translation>唯一数值</translation>
    </message>
    <message>
        <source>{count} values; before: {observation_value} on {day}</source>
        <translation>{count} 个数值；前一次：{observation_value}（{day}）</translation>
    </message>
    <message>
        <source>unclassified (drug not recognised)</source>
        <translation>未分类（无法识别的药物）</translation>
    </message>
    <message>
        <source>no tracked class</source>
        <translation>不属于跟踪的药物类别</translation>
    </message>
</context>
<context>
    <name>physician.trends</name>
    <message>
        <source>Blood pressure</source>
        <extracomment>(chart title, unit, [(fact name, legend)]) for the measurement charts.</extracomment>
        <translation>血压</translation>
    </message>
    <message>
        <source>systolic</source>
        <translation>收缩压</translation>
    </message>
    <message>
        <source>diastolic</source>
        <translation>舒张压</translation>
    </message>
    <message>
        <source>Lipids</source>
        <translation>血脂</translation>
    </message>
    <message>
        <source>total cholesterol</source>
        <translation>总胆固醇</translation>
    </message>
    <message>
        <source>triglycerides</source>
        <translation>甘油三酯</translation>
    </message>
    <message>
        <source>HbA1c</source>
        <translation>糖化血红蛋白（HbA1c）</translation>
    </message>
    <message>
        <source>Body mass index</source>
        <translation>体重指数</translation>
    </message>
    <message>
        <source>Creatinine</source>
        <translation>肌酐</translation>
    </message>
    <message>
        <source>creatinine</source>
        <translation>肌酐</translation>
    </message>
</context>
<context>
    <name>physician.what_if</name>
    <message>
        <source>as recorded</source>
        <translation>病历值</translation>
    </message>
    <message>
        <source>HYPOTHETICAL — not saved and not part of the record. This shows what the model would estimate if the changed inputs were true.</source>
        <extracomment>Models whose therapy impact is projected by relative risks (no statin input needed).</extracomment>
        <translation>假设结果 — 不保存，也不属于病历。此处显示的是如果更改后的输入成立，模型将给出的估计。</translation>
    </message>
    <message>
        <source>moderate-intensity statin</source>
        <extracomment>The therapies of the Estimator Plus table (core/inference/therapy.py), for lupdate.</extracomment>
        <translation>中等强度他汀</translation>
    </message>
    <message>
        <source>high-intensity statin</source>
        <translation>高强度他汀</translation>
    </message>
    <message>
        <source>systolic pressure to 130 mmHg</source>
        <translation>收缩压降至 130 mmHg</translation>
    </message>
    <message>
        <source>stop smoking</source>
        <translation>戒烟</translation>
    </message>
    <message>
        <source>aspirin</source>
        <translation>阿司匹林</translation>
    </message>
    <message>
        <source> + </source>
        <translation> + </translation>
    </message>
</context>
<context>
    <name>physician.workspace</name>
    <message>
        <source>Patients and risk</source>
        <translation>患者与风险</translation>
    </message>
    <message>
        <source>Search patients</source>
        <translation>搜索患者</translation>
    </message>
    <message>
        <source>Recompute all scores</source>
        <translation>重新计算全部评分</translation>
    </message>
</context>
<context>
    <name>plausibility</name>
    <message>
        <source>{name} {value} {unit} is outside the physiologically possible range {range} {unit}; check the value and unit.{hint}</source>
        <translation>{name} {value} {unit} 超出生理可能范围 {range} {unit}；请核对数值和单位。{hint}</translation>
    </message>
    <message>
        <source>{name} {value} {unit} is outside the physiologically possible range {range} {unit}; check the value and unit</source>
        <translation>{name} {value} {unit} 超出生理可能范围 {range} {unit}；请核对数值和单位</translation>
    </message>
    <message>
        <source>outside the expected range {range} {unit}; verify.{hint}</source>
        <translation>超出预期范围 {range} {unit}；请核实。{hint}</translation>
    </message>
    <message>
        <source>outside the expected range {range} {unit}; verify</source>
        <translation>超出预期范围 {range} {unit}；请核实</translation>
    </message>
</context>
<context>
    <name>provider_check</name>
    <message>
        <source>session created and ran</source>
        <translation>会话已创建并运行</translation>
    </message>
    <message>
        <source>ran, but returned a wrong result</source>
        <translation>已运行，但返回的结果错误</translation>
    </message>
    <message>
        <source>listed, but the session ran on {provider}</source>
        <translation>已列出，但会话实际运行在 {provider} 上</translation>
    </message>
    <message>
        <source>listed, but {why}</source>
        <translation>已列出，但{why}</translation>
    </message>
    <message>
        <source>not in the CPU-only build</source>
        <translation>纯 CPU 版本中不包含</translation>
    </message>
    <message>
        <source>its library {library} is not installed beside onnxruntime</source>
        <translation>其依赖库 {library} 未与 onnxruntime 一起安装</translation>
    </message>
    <message>
        <source>session failed ({kind})</source>
        <translation>会话创建失败（{kind}）</translation>
    </message>
    <message>
        <source>cannot be imported ({kind})</source>
        <translation>无法导入（{kind}）</translation>
    </message>
    <message>
        <source>the provider check failed in its separate process ({why}); the app itself is unaffected. Run &apos;clinic-app --self-test&apos; for details.</source>
        <translation>执行提供程序检查在独立进程中失败（{why}）；应用本身不受影响。运行 &apos;clinic-app --self-test&apos; 查看详情。</translation>
    </message>
    <message>
        <source>it gave no usable answer</source>
        <translation>它未给出可用的结果</translation>
    </message>
    <message>
        <source>GPU preference is &apos;cpu&apos;: models run on the CPU even where a GPU works.</source>
        <translation>GPU 偏好设置为 &apos;cpu&apos;：即使 GPU 可用，模型也在 CPU 上运行。</translation>
    </message>
</context>
<context>
    <name>race</name>
    <message>
        <source>White</source>
        <extracomment>The OMB race categories and null flavours core/records/codes.py names, for lupdate.</extracomment>
        <translation>白人</translation>
    </message>
    <message>
        <source>Black or African American</source>
        <translation>黑人或非裔美国人</translation>
    </message>
    <message>
        <source>American Indian or Alaska Native</source>
        <translation>美洲印第安人或阿拉斯加原住民</translation>
    </message>
    <message>
        <source>Asian</source>
        <translation>亚裔</translation>
    </message>
    <message>
        <source>Native Hawaiian or Other Pacific Islander</source>
        <translation>夏威夷原住民或其他太平洋岛民</translation>
    </message>
    <message>
        <source>Other Race</source>
        <translation>其他种族</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>asked but unknown</source>
        <translation>已询问但未知</translation>
    </message>
</context>
<context>
    <name>radiology.corner_text</name>
    <message>
        <source>Im {value}/{total}  (loading: Im {value2}–{value3} ready)</source>
        <translation>图 {value}/{total}  （加载中：图 {value2}–{value3} 已就绪）</translation>
    </message>
    <message>
        <source>Im {value}/{total}  (loading {slices}/{expected_slices})</source>
        <translation>图 {value}/{total}  （加载中 {slices}/{expected_slices}）</translation>
    </message>
    <message>
        <source>Im {value}/{total}</source>
        <translation>图 {value}/{total}</translation>
    </message>
    <message>
        <source>Loc {slice_location:.1f} mm  Thk {slice_spacing:.2f} mm</source>
        <translation>位置 {slice_location:.1f} mm  层厚 {slice_spacing:.2f} mm</translation>
    </message>
    <message>
        <source>Zoom {value:.2f}×{pixels}</source>
        <translation>缩放 {value:.2f}×{pixels}</translation>
    </message>
</context>
<context>
    <name>radiology.display</name>
    <message>
        <source>(no name)</source>
        <extracomment>The core&apos;s stack kind: &quot;volume&quot;, &quot;single&quot;, &quot;projection&quot; or &quot;cine&quot; (time axis). True when the affine is a patient (LPS) frame; projection images have none. False when the header has no pixel spacing: lengths are then in pixels. The header&apos;s window (or VOI LUT), or None: then a preset or the data&apos;s range. Named windows for this modality, in number-key order. MONOCHROME1 / PresentationLUTShape INVERSE: shown inverted until the user toggles. Slices the full volume will have; &gt;= voxels.shape[0] while loading. For a preview: which display-independent voxel k of the final volume slice 0 is. Per slice, the row / column direction letters of projection images (PatientOrientation), or None for an image without them; empty for other kinds. Which stack of the series this is (0 = the largest; see ``series_label``). While the volume loads: the stored slices ``lo..hi`` (inclusive) that are decoded; the others hold nothing yet and are never shown. None when every slice is in. Slices that could not be decoded (drawn black), for the viewport&apos;s corner; &quot;&quot; if none. Modality units of the voxels (&quot;HU&quot;, &quot;Gy&quot;, a RescaleType), &quot;&quot; when unspecified.</extracomment>
        <translation>（无姓名）</translation>
    </message>
    <message>
        <source>DOB {date}</source>
        <translation>出生 {date}</translation>
    </message>
    <message>
        <source>MRN {patient_id}</source>
        <translation>病历号 {patient_id}</translation>
    </message>
    <message>
        <source>(no study description)</source>
        <translation>（无检查描述）</translation>
    </message>
    <message>
        <source>Acc {accession}</source>
        <translation>检查号 {accession}</translation>
    </message>
    <message>
        <source>Se {number}: </source>
        <translation>序列 {number}：</translation>
    </message>
    <message>
        <source>slice {value}</source>
        <translation>层面 {value}</translation>
    </message>
    <message>
        <source> and {value} more</source>
        <translation> 等另外 {value} 个</translation>
    </message>
    <message>
        <source>{len} slice{value} missing (could not be decoded): instance{value2} {shown}</source>
        <translation>缺少 {len} 个层面（无法解码）：实例 {shown}</translation>
    </message>
</context>
<context>
    <name>radiology.findings</name>
    <message>
        <source>DEMO model: trained on synthetic images to exercise the pipeline. Not for clinical use.</source>
        <translation>演示模型：基于合成图像训练，用于检验流程。不得用于临床。</translation>
    </message>
</context>
<context>
    <name>radiology.findings_view</name>
    <message>
        <source>size unknown (no pixel spacing)</source>
        <extracomment>What a finding on an image without pixel spacing says instead of a size.</extracomment>
        <translation>大小未知（无像素间距）</translation>
    </message>
    <message>
        <source>AI {score:.2f}</source>
        <translation>AI {score:.2f}</translation>
    </message>
</context>
<context>
    <name>radiology.import_dialog</name>
    <message>
        <source>DICOM media (DICOMDIR *.zip *.dcm *.DCM);;All files (*)</source>
        <translation>DICOM 介质 (DICOMDIR *.zip *.dcm *.DCM);;所有文件 (*)</translation>
    </message>
    <message>
        <source>{imported} image(s) imported into {studies} stud{value}</source>
        <translation>已导入 {imported} 幅图像，共 {studies} 项检查</translation>
    </message>
    <message>
        <source>{duplicates} already in the store</source>
        <translation>{duplicates} 幅已在存储中</translation>
    </message>
    <message>
        <source>{len} file(s) not imported (listed below)</source>
        <translation>{len} 个文件未导入（见下方列表）</translation>
    </message>
    <message>
        <source>{clauses}.</source>
        <translation>{clauses}。</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>Cancelled: only whole images imported before Cancel were kept. </source>
        <translation>已取消：仅保留取消前已完整导入的图像。</translation>
    </message>
</context>
<context>
    <name>radiology.keymap</name>
    <message>
        <source>Previous / next slice</source>
        <extracomment>Actions the findings panel handles (the viewport passes these keys on to it). How Help shows a pointer gesture (a binding with no keys), or a range of keys.</extracomment>
        <translation>上一层 / 下一层</translation>
    </message>
    <message>
        <source>Wheel</source>
        <translation>滚轮</translation>
    </message>
    <message>
        <source>Previous slice</source>
        <translation>上一层</translation>
    </message>
    <message>
        <source>Next slice</source>
        <translation>下一层</translation>
    </message>
    <message>
        <source>10 slices back</source>
        <translation>后退 10 层</translation>
    </message>
    <message>
        <source>10 slices forward</source>
        <translation>前进 10 层</translation>
    </message>
    <message>
        <source>First slice</source>
        <translation>第一层</translation>
    </message>
    <message>
        <source>Last slice</source>
        <translation>最后一层</translation>
    </message>
    <message>
        <source>Zoom in / out at the pointer</source>
        <translation>以指针为中心放大 / 缩小</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Window/level: left-right = width, up-down = level</source>
        <translation>窗宽/窗位：左右 = 窗宽，上下 = 窗位</translation>
    </message>
    <message>
        <source>Right-drag</source>
        <translation>右键拖动</translation>
    </message>
    <message>
        <source>Pan</source>
        <translation>平移</translation>
    </message>
    <message>
        <source>Middle-drag</source>
        <translation>中键拖动</translation>
    </message>
    <message>
        <source>Window presets for the modality (CT: brain, subdural, stroke, lung, …)</source>
        <translation>该模态的窗预设（CT：脑、硬膜下、卒中、肺……）</translation>
    </message>
    <message>
        <source>The DICOM default window of the series</source>
        <translation>该序列的 DICOM 默认窗</translation>
    </message>
    <message>
        <source>Invert grey scale</source>
        <translation>反转灰阶</translation>
    </message>
    <message>
        <source>Fit to viewport</source>
        <translation>适应视窗</translation>
    </message>
    <message>
        <source>Reset zoom, pan and window</source>
        <translation>重置缩放、平移和窗宽窗位</translation>
    </message>
    <message>
        <source>Magnify smoothly / show pixels as squares</source>
        <translation>平滑放大 / 像素显示为方块</translation>
    </message>
    <message>
        <source>Tool: length</source>
        <translation>工具：长度</translation>
    </message>
    <message>
        <source>Tool: ROI (ellipse)</source>
        <translation>工具：感兴趣区（椭圆）</translation>
    </message>
    <message>
        <source>Tool: angle (drag the first arm, click the end of the second)</source>
        <translation>工具：角度（拖出第一条边，再点击第二条边的端点）</translation>
    </message>
    <message>
        <source>Tool: arrow</source>
        <translation>工具：箭头</translation>
    </message>
    <message>
        <source>Tool: pan</source>
        <translation>工具：平移</translation>
    </message>
    <message>
        <source>Tool: MPR cursor (or Shift+click)</source>
        <translation>工具：MPR 光标（或 Shift+单击）</translation>
    </message>
    <message>
        <source>Remove the last measurement on this slice</source>
        <translation>删除本层最后一个测量</translation>
    </message>
    <message>
        <source>Cancel the measurement being drawn</source>
        <translation>取消正在绘制的测量</translation>
    </message>
    <message>
        <source>Start / stop cine</source>
        <translation>开始 / 停止电影回放</translation>
    </message>
    <message>
        <source>Show the axial plane in this viewport</source>
        <translation>在此视窗显示轴位</translation>
    </message>
    <message>
        <source>Show the coronal plane in this viewport</source>
        <translation>在此视窗显示冠状位</translation>
    </message>
    <message>
        <source>Show the sagittal plane in this viewport</source>
        <translation>在此视窗显示矢状位</translation>
    </message>
    <message>
        <source>AI review: next finding</source>
        <translation>AI 审核：下一个发现</translation>
    </message>
    <message>
        <source>AI review: previous finding</source>
        <translation>AI 审核：上一个发现</translation>
    </message>
    <message>
        <source>AI review: accept the selected finding</source>
        <translation>AI 审核：接受所选发现</translation>
    </message>
    <message>
        <source>AI review: reject the selected finding</source>
        <translation>AI 审核：拒绝所选发现</translation>
    </message>
    <message>
        <source>AI review: modify the selected finding</source>
        <translation>AI 审核：修改所选发现</translation>
    </message>
    <message>
        <source>AI review: write a comment for the decision</source>
        <translation>AI 审核：为审核决定填写备注</translation>
    </message>
    <message>
        <source>Key bindings must be a JSON object of action → list of keys.</source>
        <translation>快捷键设置必须是“操作 → 按键列表”形式的 JSON 对象。</translation>
    </message>
    <message>
        <source>“{name}” is not an action that has keys; known: </source>
        <translation>“{name}”不是可设置按键的操作；可用操作：</translation>
    </message>
    <message>
        <source>“{name}” is a mouse gesture and cannot be given keys.</source>
        <translation>“{name}”是鼠标手势，不能设置按键。</translation>
    </message>
    <message>
        <source>The keys for “{name}” must be a non-empty list of key names.</source>
        <translation>“{name}”的按键必须是非空的按键名称列表。</translation>
    </message>
    <message>
        <source>The key bindings file cannot be read: {name__}.</source>
        <translation>无法读取快捷键设置文件：{name__}。</translation>
    </message>
</context>
<context>
    <name>radiology.keys_dialog</name>
    <message>
        <source>in use</source>
        <translation>使用中</translation>
    </message>
    <message>
        <source>not there yet: the shipped keys apply</source>
        <translation>尚不存在：使用随附的默认按键</translation>
    </message>
    <message>
        <source>Your key bindings are kept in
{path}
({state}).

Edit it to rebind keys (a JSON object of action → list of keys); Help lists the keys in use. Your own hanging protocols are in
{protocols}</source>
        <translation>您的快捷键设置保存在
{path}
（{state}）。

编辑此文件可重新绑定按键（“操作 → 按键列表”形式的 JSON 对象）；“帮助”中列出当前使用的按键。您自己的挂片协议位于
{protocols}</translation>
    </message>
    <message>
        <source>Your keys</source>
        <translation>您的快捷键</translation>
    </message>
    <message>
        <source>Reset to the shipped keys</source>
        <translation>恢复为随附的默认按键</translation>
    </message>
</context>
<context>
    <name>radiology.other_results</name>
    <message>
        <source> — image {number}</source>
        <translation> — 图像 {number}</translation>
    </message>
    <message>
        <source>Report: {finding}{decision}</source>
        <translation>报告：{finding}{decision}</translation>
    </message>
    <message>
        <source>Segmentation: {label} ({property_type})</source>
        <translation>分割：{label}（{property_type}）</translation>
    </message>
    <message>
        <source>Key image ({title})</source>
        <translation>关键图像（{title}）</translation>
    </message>
    <message>
        <source>Not shown ({kind}): {reason}</source>
        <translation>未显示（{kind}）：{reason}</translation>
    </message>
</context>
<context>
    <name>radiology.overlays</name>
    <message>
        <source>Drop a series here</source>
        <extracomment>Where the dark copies of a text go: one pixel off diagonally, a halo on every side.</extracomment>
        <translation>将序列拖放到此处</translation>
    </message>
    <message>
        <source>{value:g} cm</source>
        <translation>{value:g} cm</translation>
    </message>
</context>
<context>
    <name>radiology.pacs_panel</name>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Patient ID</source>
        <translation>患者 ID</translation>
    </message>
    <message>
        <source>Born</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Study date</source>
        <translation>检查日期</translation>
    </message>
    <message>
        <source>Modalities</source>
        <translation>模态</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Accession</source>
        <translation>检查号</translation>
    </message>
    <message>
        <source>Any</source>
        <translation>任意</translation>
    </message>
</context>
<context>
    <name>radiology.planes</name>
    <message>
        <source>axial</source>
        <extracomment>The planes a measurement is made on (core/imaging/planes.py), for lupdate.</extracomment>
        <translation>轴位</translation>
    </message>
    <message>
        <source>coronal</source>
        <translation>冠状位</translation>
    </message>
    <message>
        <source>sagittal</source>
        <translation>矢状位</translation>
    </message>
    <message>
        <source>native</source>
        <translation>原始方向</translation>
    </message>
</context>
<context>
    <name>radiology.review_marks</name>
    <message>
        <source>Accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>Accepted with a corrected box</source>
        <translation>已接受（框已修正）</translation>
    </message>
    <message>
        <source>Not reviewed yet</source>
        <translation>尚未审核</translation>
    </message>
</context>
<context>
    <name>radiology.status</name>
    <message>
        <source>not analysed</source>
        <extracomment>The worklist&apos;s AI column: the service&apos;s one definition of the states. The states as the screens show them (listed for lupdate; shown with translate_any).</extracomment>
        <translation>未分析</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>flagged</source>
        <translation>已标记</translation>
    </message>
    <message>
        <source>no findings</source>
        <translation>无发现</translation>
    </message>
    <message>
        <source>reviewed</source>
        <translation>已审核</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>No installed model applies to this study.</source>
        <extracomment>How urgent a status is, for sorting the AI column (flagged first when descending).</extracomment>
        <translation>没有适用于本检查的已安装模型。</translation>
    </message>
    <message>
        <source>{flagged} flagged of {len}, {reviewed} reviewed</source>
        <translation>{len} 个中 {flagged} 个已标记，{reviewed} 个已审核</translation>
    </message>
</context>
<context>
    <name>radiology.thumbnails</name>
    <message>
        <source>{frames} im</source>
        <translation>{frames} 幅</translation>
    </message>
    <message>
        <source>1 im</source>
        <translation>1 幅</translation>
    </message>
    <message>
        <source>no images</source>
        <translation>无图像</translation>
    </message>
    <message>
        <source>cannot decode</source>
        <translation>无法解码</translation>
    </message>
    <message>
        <source>Thumbnails</source>
        <translation>缩略图</translation>
    </message>
</context>
<context>
    <name>radiology.viewer</name>
    <message>
        <source>brain</source>
        <extracomment>The shipped CT presets&apos; names (core/imaging/presets.py), for lupdate; shown with translate(). A site&apos;s own preset names are shown as the site wrote them.</extracomment>
        <translation>脑窗</translation>
    </message>
    <message>
        <source>subdural</source>
        <translation>硬膜下窗</translation>
    </message>
    <message>
        <source>stroke</source>
        <translation>卒中窗</translation>
    </message>
    <message>
        <source>lung</source>
        <translation>肺窗</translation>
    </message>
    <message>
        <source>mediastinum</source>
        <translation>纵隔窗</translation>
    </message>
    <message>
        <source>abdomen</source>
        <translation>腹部窗</translation>
    </message>
    <message>
        <source>liver</source>
        <translation>肝窗</translation>
    </message>
    <message>
        <source>bone</source>
        <translation>骨窗</translation>
    </message>
</context>
<context>
    <name>radiology.viewer_page</name>
    <message>
        <source>◀ Worklist</source>
        <translation>◀ 工作列表</translation>
    </message>
    <message>
        <source>Back to the worklist (Ctrl+W)</source>
        <translation>返回工作列表（Ctrl+W）</translation>
    </message>
    <message>
        <source>My keys…</source>
        <translation>我的快捷键…</translation>
    </message>
    <message>
        <source>Where your key bindings are kept; reset them</source>
        <translation>快捷键设置的保存位置；可重置</translation>
    </message>
    <message>
        <source>AI findings</source>
        <translation>AI 发现</translation>
    </message>
    <message>
        <source>Measurements</source>
        <translation>测量</translation>
    </message>
</context>
<context>
    <name>radiology.viewer_toolbar</name>
    <message>
        <source>One viewport</source>
        <translation>单视窗</translation>
    </message>
    <message>
        <source>Two viewports side by side</source>
        <translation>双视窗并排</translation>
    </message>
    <message>
        <source>Four viewports</source>
        <translation>四视窗</translation>
    </message>
    <message>
        <source>Axial, coronal and sagittal with a linked cursor</source>
        <translation>轴位、冠状位和矢状位（光标联动）</translation>
    </message>
    <message>
        <source>Pan</source>
        <extracomment>Tool → (button text, tip without its key, the action whose key chooses it).</extracomment>
        <translation>平移</translation>
    </message>
    <message>
        <source>Left-drag pans</source>
        <translation>左键拖动平移</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>长度</translation>
    </message>
    <message>
        <source>Measure a distance in mm</source>
        <translation>测量距离（mm）</translation>
    </message>
    <message>
        <source>Ellipse: mean and SD in modality units, area</source>
        <translation>椭圆：以模态单位计的均值和标准差，及面积</translation>
    </message>
    <message>
        <source>Angle</source>
        <translation>角度</translation>
    </message>
    <message>
        <source>Drag the first arm to the vertex, then click the end of the second</source>
        <translation>拖出第一条边至顶点，再点击第二条边的端点</translation>
    </message>
    <message>
        <source>Arrow</source>
        <translation>箭头</translation>
    </message>
    <message>
        <source>Point at something: drag from the tail to the head</source>
        <translation>指示目标：从箭尾拖到箭头</translation>
    </message>
    <message>
        <source>Cursor</source>
        <translation>光标</translation>
    </message>
    <message>
        <source>Set the linked MPR cursor (or Shift+click)</source>
        <translation>设置联动 MPR 光标（或 Shift+单击）</translation>
    </message>
    <message>
        <source>Invert grey scale</source>
        <extracomment>Action (toolbar attribute name) → (tip, key action).</extracomment>
        <translation>反转灰阶</translation>
    </message>
    <message>
        <source>Fit the image to the viewport</source>
        <translation>使图像适应视窗</translation>
    </message>
    <message>
        <source>Reset zoom, pan and window</source>
        <translation>重置缩放、平移和窗宽窗位</translation>
    </message>
    <message>
        <source>Smooth magnification (off: every pixel a square)</source>
        <translation>平滑放大（关闭时每个像素显示为方块）</translation>
    </message>
    <message>
        <source>Play through the slices</source>
        <translation>逐层播放</translation>
    </message>
    <message>
        <source>Window preset (keys {presets}; {default} = DICOM default)</source>
        <translation>窗预设（按键 {presets}；{default} = DICOM 默认）</translation>
    </message>
    <message>
        <source>Viewer</source>
        <translation>阅片</translation>
    </message>
    <message>
        <source>Window preset</source>
        <translation>窗预设</translation>
    </message>
    <message>
        <source>Invert</source>
        <translation>反转</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适应</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Smooth</source>
        <translation>平滑</translation>
    </message>
    <message>
        <source>Cine</source>
        <translation>电影</translation>
    </message>
    <message>
        <source>Cine frames per second</source>
        <translation>电影回放帧率</translation>
    </message>
    <message>
        <source> fps</source>
        <translation> 帧/秒</translation>
    </message>
</context>
<context>
    <name>radiology.worklist</name>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Modality</source>
        <translation>模态</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Series</source>
        <translation>序列</translation>
    </message>
    <message>
        <source>AI status</source>
        <translation>AI 状态</translation>
    </message>
</context>
<context>
    <name>radiology.workspace</name>
    <message>
        <source>Import DICOM (folder, DICOMDIR or zip)</source>
        <translation>导入 DICOM（文件夹、DICOMDIR 或 zip）</translation>
    </message>
    <message>
        <source>Refresh the worklist</source>
        <translation>刷新工作列表</translation>
    </message>
    <message>
        <source>Search the worklist</source>
        <translation>搜索工作列表</translation>
    </message>
    <message>
        <source>Enter / double-click</source>
        <translation>Enter / 双击</translation>
    </message>
    <message>
        <source>Open the selected study</source>
        <translation>打开所选检查</translation>
    </message>
    <message>
        <source>Back to the worklist</source>
        <translation>返回工作列表</translation>
    </message>
    <message>
        <source>Radiology</source>
        <translation>影像</translation>
    </message>
</context>
<context>
    <name>record_terms</name>
    <message>
        <source>Adult waist circumference</source>
        <translation>成人腰围</translation>
    </message>
    <message>
        <source>Albumin/creatinine ratio</source>
        <translation>白蛋白/肌酐比值</translation>
    </message>
    <message>
        <source>Bilirubin, total</source>
        <translation>总胆红素</translation>
    </message>
    <message>
        <source>Body height</source>
        <translation>身高</translation>
    </message>
    <message>
        <source>Body mass index</source>
        <translation>体重指数</translation>
    </message>
    <message>
        <source>Body weight</source>
        <translation>体重</translation>
    </message>
    <message>
        <source>Creatinine</source>
        <translation>肌酐</translation>
    </message>
    <message>
        <source>Diastolic blood pressure</source>
        <translation>舒张压</translation>
    </message>
    <message>
        <source>Diastolic blood pressure, sitting</source>
        <translation>舒张压（坐位）</translation>
    </message>
    <message>
        <source>Diastolic blood pressure, standing</source>
        <translation>舒张压（立位）</translation>
    </message>
    <message>
        <source>Diastolic blood pressure, supine</source>
        <translation>舒张压（卧位）</translation>
    </message>
    <message>
        <source>Glucose</source>
        <translation>血糖</translation>
    </message>
    <message>
        <source>Glucose, fasting</source>
        <translation>空腹血糖</translation>
    </message>
    <message>
        <source>HDL cholesterol</source>
        <translation>高密度脂蛋白胆固醇</translation>
    </message>
    <message>
        <source>Hemoglobin A1c</source>
        <translation>糖化血红蛋白</translation>
    </message>
    <message>
        <source>INR</source>
        <translation>INR</translation>
    </message>
    <message>
        <source>LDL cholesterol</source>
        <translation>低密度脂蛋白胆固醇</translation>
    </message>
    <message>
        <source>Microalbumin/creatinine ratio</source>
        <translation>微量白蛋白/肌酐比值</translation>
    </message>
    <message>
        <source>Sodium</source>
        <translation>血钠</translation>
    </message>
    <message>
        <source>Systolic blood pressure</source>
        <translation>收缩压</translation>
    </message>
    <message>
        <source>Systolic blood pressure, sitting</source>
        <translation>收缩压（坐位）</translation>
    </message>
    <message>
        <source>Systolic blood pressure, standing</source>
        <translation>收缩压（立位）</translation>
    </message>
    <message>
        <source>Systolic blood pressure, supine</source>
        <translation>收缩压（卧位）</translation>
    </message>
    <message>
        <source>Tobacco smoking status</source>
        <translation>吸烟状态</translation>
    </message>
    <message>
        <source>Total bilirubin</source>
        <translation>总胆红素</translation>
    </message>
    <message>
        <source>Total cholesterol</source>
        <translation>总胆固醇</translation>
    </message>
    <message>
        <source>Triglycerides</source>
        <translation>甘油三酯</translation>
    </message>
    <message>
        <source>Urine albumin-to-creatinine ratio</source>
        <translation>尿白蛋白/肌酐比值</translation>
    </message>
    <message>
        <source>Waist circumference</source>
        <translation>腰围</translation>
    </message>
    <message>
        <source>Waist circumference at umbilicus</source>
        <translation>腰围（脐水平）</translation>
    </message>
    <message>
        <source>ace inhibitor</source>
        <translation>血管紧张素转换酶抑制剂</translation>
    </message>
    <message>
        <source>active</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>amended</source>
        <translation>已修订</translation>
    </message>
    <message>
        <source>angiotensin receptor blocker</source>
        <translation>血管紧张素Ⅱ受体拮抗剂</translation>
    </message>
    <message>
        <source>anticoagulant</source>
        <translation>抗凝药</translation>
    </message>
    <message>
        <source>antidiabetic</source>
        <translation>降糖药</translation>
    </message>
    <message>
        <source>antihypertensive</source>
        <translation>降压药</translation>
    </message>
    <message>
        <source>antiplatelet</source>
        <translation>抗血小板药</translation>
    </message>
    <message>
        <source>antithrombotic</source>
        <translation>抗栓药</translation>
    </message>
    <message>
        <source>appended</source>
        <translation>已追加</translation>
    </message>
    <message>
        <source>arrived</source>
        <translation>已到达</translation>
    </message>
    <message>
        <source>atrial fibrillation</source>
        <translation>心房颤动</translation>
    </message>
    <message>
        <source>beta blocker</source>
        <translation>β受体阻滞剂</translation>
    </message>
    <message>
        <source>calcium channel blocker</source>
        <translation>钙通道阻滞剂</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>confirmed</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>corrected</source>
        <translation>已更正</translation>
    </message>
    <message>
        <source>current</source>
        <translation>目前吸烟</translation>
    </message>
    <message>
        <source>diabetes</source>
        <translation>糖尿病</translation>
    </message>
    <message>
        <source>dialysis</source>
        <translation>透析</translation>
    </message>
    <message>
        <source>differential</source>
        <translation>鉴别诊断</translation>
    </message>
    <message>
        <source>diuretic</source>
        <translation>利尿剂</translation>
    </message>
    <message>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>entered-in-error</source>
        <translation>录入错误</translation>
    </message>
    <message>
        <source>female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>final</source>
        <translation>最终</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>former</source>
        <translation>既往吸烟</translation>
    </message>
    <message>
        <source>heart failure</source>
        <translation>心力衰竭</translation>
    </message>
    <message>
        <source>hypertension</source>
        <translation>高血压</translation>
    </message>
    <message>
        <source>in-progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>inactive</source>
        <translation>非活动</translation>
    </message>
    <message>
        <source>insulin</source>
        <translation>胰岛素</translation>
    </message>
    <message>
        <source>intended</source>
        <translation>计划使用</translation>
    </message>
    <message>
        <source>lipid lowering</source>
        <translation>调脂药</translation>
    </message>
    <message>
        <source>liver cirrhosis</source>
        <translation>肝硬化</translation>
    </message>
    <message>
        <source>male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从不吸烟</translation>
    </message>
    <message>
        <source>not-taken</source>
        <translation>未服用</translation>
    </message>
    <message>
        <source>on-hold</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>onleave</source>
        <translation>请假离院</translation>
    </message>
    <message>
        <source>other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>partial</source>
        <translation>部分</translation>
    </message>
    <message>
        <source>planned</source>
        <translation>已计划</translation>
    </message>
    <message>
        <source>preliminary</source>
        <translation>初步</translation>
    </message>
    <message>
        <source>provisional</source>
        <translation>暂定</translation>
    </message>
    <message>
        <source>recurrence</source>
        <translation>再发</translation>
    </message>
    <message>
        <source>refuted</source>
        <translation>已排除</translation>
    </message>
    <message>
        <source>registered</source>
        <translation>已登记</translation>
    </message>
    <message>
        <source>relapse</source>
        <translation>复发</translation>
    </message>
    <message>
        <source>remission</source>
        <translation>缓解</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>已痊愈</translation>
    </message>
    <message>
        <source>statin</source>
        <translation>他汀类药物</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>stroke tia thromboembolism</source>
        <translation>卒中/短暂性脑缺血发作/血栓栓塞</translation>
    </message>
    <message>
        <source>triaged</source>
        <translation>已分诊</translation>
    </message>
    <message>
        <source>unconfirmed</source>
        <translation>未确认</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>vascular disease</source>
        <translation>血管疾病</translation>
    </message>
</context>
<context>
    <name>records</name>
    <message>
        <source>kept as received: the app does not read this resource type (listed with the patient&apos;s other records, not used by any model)</source>
        <extracomment>A FHIR resource type name (R4 names are capitalised letters only).</extracomment>
        <translation>按收到的原样保存：本应用不读取此类资源（与患者其他记录一起列出，不用于任何模型）</translation>
    </message>
    <message>
        <source>its patient is not in this file or the store; kept without a patient</source>
        <translation>其所属患者不在此文件或存储中；已保存但未关联患者</translation>
    </message>
    <message>
        <source>No such patient in the store.</source>
        <translation>存储中没有此患者。</translation>
    </message>
    <message>
        <source>Other records kept as received (not read by the app): {types}</source>
        <translation>按原样保存的其他记录（本应用不读取）：{types}</translation>
    </message>
</context>
<context>
    <name>risk</name>
    <message>
        <source> Unrecognised inputs given: {names}.</source>
        <translation> 提供了无法识别的输入：{names}。</translation>
    </message>
    <message>
        <source>Cannot compute {model}: missing {inputs}.</source>
        <translation>无法计算{model}：缺少{inputs}。</translation>
    </message>
    <message>
        <source>extrapolated: {detail}</source>
        <extracomment>The flags the engine writes itself (core/inference/risk_checks.py), as patterns: the engine writes them in English because results are stored with their flags; they are translated here, when shown. For lupdate: the templates above, in the context translate_flag looks them up in.</extracomment>
        <translation>外推：{detail}</translation>
    </message>
    <message>
        <source>Cannot compute {model}: {detail}</source>
        <translation>无法计算{model}：{detail}</translation>
    </message>
    <message>
        <source>{name} {value} is outside the valid range {range} ({source})</source>
        <translation>{name} {value} 超出有效范围 {range}（{source}）</translation>
    </message>
    <message>
        <source>{name} {value} counted as {bound} ({note})</source>
        <translation>{name} {value} 按 {bound} 计（{note}）</translation>
    </message>
    <message>
        <source>not in the record, counted as absent: {names}</source>
        <translation>病历中无记录，按“无”计：{names}</translation>
    </message>
    <message>
        <source>{detail}; the model is not valid there</source>
        <translation>{detail}；模型在此范围外无效</translation>
    </message>
    <message>
        <source>{input} ({hint})</source>
        <translation>{input}（{hint}）</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>missing {inputs}</source>
        <translation>缺少{inputs}</translation>
    </message>
</context>
<context>
    <name>risk_overview</name>
    <message>
        <source>Ages {lo}–{hi} years.</source>
        <extracomment>A measurement used for a score is *stale* when it was taken more than this many months before the scoring date. The look-backs (Settings.lookback_months_*) decide whether a value may be used at all; within them, a value over a year old still counts but is highlighted, because risk factors are expected to be re-measured at least yearly in primary prevention, and an old value is the commonest reason a score is out of date. Every input, in the manifest&apos;s order (what-if forms, labels in tables and charts). Other probability outputs shown beside the primary one: (output name, in words). Inputs a physician can act on, so a what-if may change them (never age, sex, race).</extracomment>
        <translation>适用年龄 {lo}–{hi} 岁。</translation>
    </message>
    <message>
        <source>Not for: {items}.</source>
        <translation>不适用于：{items}。</translation>
    </message>
</context>
<context>
    <name>risk_pdf</name>
    <message>
        <source>Decision support only. Scores are estimates from published equations applied to the record as stored; check the inputs and their dates before acting on them.</source>
        <translation>仅供决策参考。评分为基于已发表方程、按现存病历计算的估计值；据此采取措施前请核对输入数据及其日期。</translation>
    </message>
    <message>
        <source>female</source>
        <extracomment>The sexes a record states, as the report header prints them.</extracomment>
        <translation>女</translation>
    </message>
    <message>
        <source>male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>white</source>
        <translation>白人</translation>
    </message>
    <message>
        <source>african_american</source>
        <translation>非裔美国人</translation>
    </message>
    <message>
        <source>north</source>
        <translation>北方</translation>
    </message>
    <message>
        <source>south</source>
        <translation>南方</translation>
    </message>
    <message>
        <source>urban</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>rural</source>
        <translation>农村</translation>
    </message>
    <message>
        <source>No Chinese font is installed for the report (Debian package {package}); install it and try again.</source>
        <translation>未安装报告所需的中文字体（Debian 软件包 {package}）；请安装后重试。</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Born {birth}, {sex}   ·   Risk report of {day}</source>
        <translation>出生日期 {birth}，{sex}   ·   风险报告日期 {day}</translation>
    </message>
    <message>
        <source>{disclaimer} Generated by {user} at {when}. Page {page} of {pages}.</source>
        <translation>{disclaimer} 由 {user} 于 {when} 生成。第 {page} 页，共 {pages} 页。</translation>
    </message>
    <message>
        <source>Patient risk report</source>
        <translation>患者风险报告</translation>
    </message>
    <message>
        <source>Each score below is computed from the record as it stood on the report date, with the inputs, dates and sources listed under it. Where an explanation is shown, the bars are percentage points of absolute risk that each modifiable factor adds against optimal values, and they add up to the difference from the risk with optimal factors.</source>
        <translation>以下每项评分均按报告日期时的病历计算，其下列出所用输入、日期和来源。如显示解释图，各条表示每个可改变的危险因素相对理想水平所增加的绝对风险百分点，其总和等于与危险因素处于理想水平时风险的差值。</translation>
    </message>
    <message>
        <source>Scores that could not be computed</source>
        <translation>无法计算的评分</translation>
    </message>
    <message>
        <source> over {horizon}</source>
        <extracomment>Explained risks in the order a physician reads them: today&apos;s US equation first.</extracomment>
        <translation>（{horizon}）</translation>
    </message>
    <message>
        <source>Also over the same years: {risks}.</source>
        <translation>同期其他风险：{risks}。</translation>
    </message>
    <message>
        <source>Note: {flag}</source>
        <translation>注：{flag}</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>分值</translation>
    </message>
    <message>
        <source>Part of the score</source>
        <translation>评分组成</translation>
    </message>
    <message>
        <source>at report date</source>
        <translation>报告日期</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入项</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Model {model} version {version}; manifest SHA-256 {sha}.</source>
        <translation>模型 {model}，版本 {version}；清单 SHA-256 {sha}。</translation>
    </message>
    <message>
        <source>With optimal risk factors ({reference}) the risk would be {risk} %. This patient&apos;s modifiable factors add {excess} percentage points:</source>
        <translation>危险因素处于理想水平时（{reference}），风险为 {risk} %。该患者可改变的危险因素增加 {excess} 个百分点：</translation>
    </message>
    <message>
        <source>{points} pp</source>
        <translation>{points} 个百分点</translation>
    </message>
    <message>
        <source>pp = percentage points of absolute risk. Each factor&apos;s share is averaged over every order in which the factors could be improved (Shapley values). Optimal values: {source}.</source>
        <translation>百分点 = 绝对风险的百分点。各因素的贡献按所有可能的改善顺序取平均（Shapley 值）。理想值：{source}。</translation>
    </message>
</context>
<context>
    <name>risk_variants</name>
    <message>
        <source>Social Deprivation Index: not available in this application; the full model counts it as missing (a term of the model).</source>
        <translation>社会剥夺指数：本程序无此数据；完整模型按“缺失”计算（模型自带的缺失项）。</translation>
    </message>
</context>
<context>
    <name>selftest</name>
    <message>
        <source>config</source>
        <extracomment>The self-test&apos;s item names (clinic_app/selftest), for lupdate; the JSON report keeps them in English, as scripts read them.</extracomment>
        <translation>配置</translation>
    </message>
    <message>
        <source>log folder</source>
        <translation>日志文件夹</translation>
    </message>
    <message>
        <source>store location</source>
        <translation>存储位置</translation>
    </message>
    <message>
        <source>crypto</source>
        <translation>加密</translation>
    </message>
    <message>
        <source>dicom samples</source>
        <translation>DICOM 样例</translation>
    </message>
    <message>
        <source>models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>terminology</source>
        <translation>术语包</translation>
    </message>
    <message>
        <source>qt offscreen</source>
        <translation>Qt（离屏）</translation>
    </message>
    <message>
        <source>qt desktop</source>
        <translation>Qt（桌面）</translation>
    </message>
    <message>
        <source>CJK font</source>
        <translation>中日韩字体</translation>
    </message>
    <message>
        <source>onnxruntime</source>
        <translation>onnxruntime</translation>
    </message>
    <message>
        <source>dicom {sample}</source>
        <translation>DICOM 样例 {sample}</translation>
    </message>
    <message>
        <source>model {id}</source>
        <translation>模型 {id}</translation>
    </message>
</context>
<context>
    <name>selftest_detail</name>
    <message>
        <source>settings given by the caller</source>
        <translation>调用方提供的设置</translation>
    </message>
    <message>
        <source>cannot write the log in {folder}; fix its permissions or set log_dir</source>
        <translation>无法在 {folder} 中写入日志；请修正其权限或设置 log_dir</translation>
    </message>
    <message>
        <source>{path} (rotates at 5 MiB, 5 kept)</source>
        <translation>{path}（每 5 MiB 轮转，保留 5 个）</translation>
    </message>
    <message>
        <source>{root} writable, store present, {free} GiB free, {files} blob files ({mb} MB), {stale} leftovers of interrupted writes ({stale_mb} MB: run &apos;clinic-app store gc&apos;; a clinician&apos;s run also finds blobs no record refers to)</source>
        <translation>{root} 可写，存储库已存在，可用空间 {free} GiB，{files} 个数据块文件（{mb} MB），{stale} 个中断写入的残留文件（{stale_mb} MB：请运行 &apos;clinic-app store gc&apos;；由临床医生运行还会找出无记录引用的数据块）</translation>
    </message>
    <message>
        <source>{root} writable, store present, {free} GiB free, {files} blob files ({mb} MB)</source>
        <translation>{root} 可写，存储库已存在，可用空间 {free} GiB，{files} 个数据块文件（{mb} MB）</translation>
    </message>
    <message>
        <source>{root} writable, store present, {free} GiB free</source>
        <translation>{root} 可写，存储库已存在，可用空间 {free} GiB</translation>
    </message>
    <message>
        <source>{root} writable, no store yet (clinic-app init), {free} GiB free</source>
        <translation>{root} 可写，尚无存储库（clinic-app init），可用空间 {free} GiB</translation>
    </message>
    <message>
        <source>log folder {folder}: {target} is not a folder</source>
        <translation>日志文件夹 {folder}：{target} 不是文件夹</translation>
    </message>
    <message>
        <source>store folder {folder}: {target} is not a folder</source>
        <translation>存储文件夹 {folder}：{target} 不是文件夹</translation>
    </message>
    <message>
        <source>log folder {folder} is not writable ({why}); fix the permissions or change the setting</source>
        <translation>日志文件夹 {folder} 不可写（{why}）；请修正权限或更改设置</translation>
    </message>
    <message>
        <source>store folder {folder} is not writable ({why}); fix the permissions or change the setting</source>
        <translation>存储文件夹 {folder} 不可写（{why}）；请修正权限或更改设置</translation>
    </message>
    <message>
        <source>{folder} writable (will be created under {target})</source>
        <translation>{folder} 可写（将在 {target} 下创建）</translation>
    </message>
    <message>
        <source>{folder} writable</source>
        <translation>{folder} 可写</translation>
    </message>
    <message>
        <source>built-in samples missing or unreadable ({kind}); reinstall</source>
        <translation>内置样例缺失或无法读取（{kind}）；请重新安装</translation>
    </message>
    <message>
        <source>model registry not available ({name})</source>
        <translation>模型注册表不可用（{name}）</translation>
    </message>
    <message>
        <source>files match their hashes, {trust}, from the {origin} models folder; {passed}/{total} test vectors pass: {failures}</source>
        <translation>文件与其哈希值一致，{trust}，来自 {origin} 模型文件夹；{passed}/{total} 个测试向量通过：{failures}</translation>
    </message>
    <message>
        <source>files match their hashes, {trust}, from the {origin} models folder; {passed}/{total} test vectors pass</source>
        <translation>文件与其哈希值一致，{trust}，来自 {origin} 模型文件夹；{passed}/{total} 个测试向量通过</translation>
    </message>
    <message>
        <source>files match their hashes, {trust}; {passed}/{total} test vectors pass: {failures}</source>
        <translation>文件与其哈希值一致，{trust}；{passed}/{total} 个测试向量通过：{failures}</translation>
    </message>
    <message>
        <source>files match their hashes, {trust}; {passed}/{total} test vectors pass</source>
        <translation>文件与其哈希值一致，{trust}；{passed}/{total} 个测试向量通过</translation>
    </message>
    <message>
        <source>files match their hashes, {trust}, from the {origin} models folder; test vectors not run: no test-vector runner for task {task}</source>
        <translation>文件与其哈希值一致，{trust}，来自 {origin} 模型文件夹；未运行测试向量：任务 {task} 没有测试向量运行器</translation>
    </message>
    <message>
        <source>files match their hashes, {trust}; test vectors not run: no test-vector runner for task {task}</source>
        <translation>文件与其哈希值一致，{trust}；未运行测试向量：任务 {task} 没有测试向量运行器</translation>
    </message>
    <message>
        <source>shipped with the app (hash-pinned)</source>
        <translation>随应用提供（哈希锁定）</translation>
    </message>
    <message>
        <source>signed by trusted key {signer}</source>
        <translation>由受信任密钥 {signer} 签名</translation>
    </message>
    <message>
        <source>unsigned, approved by an admin</source>
        <translation>未签名，经管理员批准</translation>
    </message>
    <message>
        <source>unsigned, allowed by site policy</source>
        <translation>未签名，按机构策略允许</translation>
    </message>
    <message>
        <source>unsigned site package: usable only if an admin approved it in the app (approvals are not readable without a login)</source>
        <translation>未签名的机构模型包：仅当管理员已在应用中批准后才可使用（未登录时无法读取批准记录）</translation>
    </message>
    <message>
        <source>refused ({origin}, {reason}): {message}</source>
        <translation>已拒绝（{origin}，{reason}）：{message}</translation>
    </message>
    <message>
        <source>no model packages found in {where}; the installation is incomplete</source>
        <translation>在 {where} 中未找到模型包；安装不完整</translation>
    </message>
    <message>
        <source>Qt {qt} (PySide6 {pyside}) started on platform &apos;{platform}&apos;, drew a widget, SVG icon drawn, {n} workspaces load ({spaces})</source>
        <translation>Qt {qt}（PySide6 {pyside}）已在平台 &apos;{platform}&apos; 上启动，已绘制控件和 SVG 图标，{n} 个工作区可加载（{spaces}）</translation>
    </message>
    <message>
        <source>Qt {qt} (PySide6 {pyside}) started on platform &apos;{platform}&apos;, drew a widget, SVG failed, {n} workspaces load ({spaces})</source>
        <translation>Qt {qt}（PySide6 {pyside}）已在平台 &apos;{platform}&apos; 上启动，已绘制控件，SVG 绘制失败，{n} 个工作区可加载（{spaces}）</translation>
    </message>
    <message>
        <source>Qt {qt} (PySide6 {pyside}) started on platform &apos;{platform}&apos;, drew a widget, {n} workspaces load ({spaces})</source>
        <translation>Qt {qt}（PySide6 {pyside}）已在平台 &apos;{platform}&apos; 上启动，已绘制控件，{n} 个工作区可加载（{spaces}）</translation>
    </message>
    <message>
        <source>Qt {qt} (PySide6 {pyside}) started on platform &apos;{platform}&apos;, drew a widget, SVG icon drawn</source>
        <translation>Qt {qt}（PySide6 {pyside}）已在平台 &apos;{platform}&apos; 上启动，已绘制控件和 SVG 图标</translation>
    </message>
    <message>
        <source>Qt {qt} (PySide6 {pyside}) started on platform &apos;{platform}&apos;, drew a widget, SVG failed</source>
        <translation>Qt {qt}（PySide6 {pyside}）已在平台 &apos;{platform}&apos; 上启动，已绘制控件，SVG 绘制失败</translation>
    </message>
    <message>
        <source>Qt {qt} (PySide6 {pyside}) started on platform &apos;{platform}&apos;, drew a widget</source>
        <translation>Qt {qt}（PySide6 {pyside}）已在平台 &apos;{platform}&apos; 上启动，已绘制控件</translation>
    </message>
    <message>
        <source>Qt did not start: {error} (missing X11 libraries: install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1)</source>
        <translation>Qt 未能启动：{error}（缺少 X11 库：请安装 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1）</translation>
    </message>
    <message>
        <source>Qt did not start: {error}</source>
        <translation>Qt 未能启动：{error}</translation>
    </message>
    <message>
        <source>no session: {error}</source>
        <translation>无法创建会话：{error}</translation>
    </message>
    <message>
        <source>onnxruntime {version}: requested {requested}; running on {actual}: an NVIDIA GPU is present but {provider} could not be used; missing {missing}. Install the CUDA and cuDNN runtime onnxruntime needs (see packaging/README.md), or set gpu_preference = &quot;cpu&quot; to accept the CPU</source>
        <translation>onnxruntime {version}：请求 {requested}；实际运行于 {actual}：存在 NVIDIA GPU，但无法使用 {provider}；缺少 {missing}。请安装 onnxruntime 所需的 CUDA 和 cuDNN 运行库（见 packaging/README.md），或设置 gpu_preference = &quot;cpu&quot; 以接受使用 CPU</translation>
    </message>
    <message>
        <source>onnxruntime {version}: requested {requested}; running on {actual}: an NVIDIA GPU is present but {provider} could not be used. Install the CUDA and cuDNN runtime onnxruntime needs (see packaging/README.md), or set gpu_preference = &quot;cpu&quot; to accept the CPU</source>
        <translation>onnxruntime {version}：请求 {requested}；实际运行于 {actual}：存在 NVIDIA GPU，但无法使用 {provider}。请安装 onnxruntime 所需的 CUDA 和 cuDNN 运行库（见 packaging/README.md），或设置 gpu_preference = &quot;cpu&quot; 以接受使用 CPU</translation>
    </message>
    <message>
        <source>onnxruntime {version}: requested {requested}; running on {actual} (CPU-only bundle)</source>
        <translation>onnxruntime {version}：请求 {requested}；实际运行于 {actual}（纯 CPU 安装包）</translation>
    </message>
    <message>
        <source>onnxruntime {version}: requested {requested}; running on {actual} (gpu_preference = cpu)</source>
        <translation>onnxruntime {version}：请求 {requested}；实际运行于 {actual}（gpu_preference = cpu）</translation>
    </message>
    <message>
        <source>onnxruntime {version}: requested {requested}; running on {actual} (no NVIDIA GPU found; missing {missing})</source>
        <translation>onnxruntime {version}：请求 {requested}；实际运行于 {actual}（未发现 NVIDIA GPU；缺少 {missing}）</translation>
    </message>
    <message>
        <source>onnxruntime {version}: requested {requested}; running on {actual} (no NVIDIA GPU found)</source>
        <translation>onnxruntime {version}：请求 {requested}；实际运行于 {actual}（未发现 NVIDIA GPU）</translation>
    </message>
    <message>
        <source>onnxruntime {version}: requested {requested}; running on {actual}</source>
        <translation>onnxruntime {version}：请求 {requested}；实际运行于 {actual}</translation>
    </message>
    <message>
        <source>PDF: {font}; GUI: {n} Simplified Chinese families</source>
        <translation>PDF：{font}；界面：{n} 个简体中文字体族</translation>
    </message>
    <message>
        <source>PDF: {font}; GUI: not checked (Qt did not start)</source>
        <translation>PDF：{font}；界面：未检查（Qt 未能启动）</translation>
    </message>
    <message>
        <source>no CJK font for the PDF report; Qt finds no Simplified Chinese font: install {package}</source>
        <translation>PDF 报告没有中日韩（CJK）字体；Qt 找不到简体中文字体：请安装 {package}</translation>
    </message>
    <message>
        <source>no CJK font for the PDF report: install {package}</source>
        <translation>PDF 报告没有中日韩（CJK）字体：请安装 {package}</translation>
    </message>
    <message>
        <source>Qt finds no Simplified Chinese font: install {package}</source>
        <translation>Qt 找不到简体中文字体：请安装 {package}</translation>
    </message>
    <message>
        <source>Argon2id m={memory} MiB t={iterations} {seconds} s, AES-256-GCM wrap, X25519 seal, SQLCipher {sqlcipher}, AES-GCM blob</source>
        <translation>Argon2id m={memory} MiB t={iterations}，用时 {seconds} 秒；AES-256-GCM 密钥封装、X25519 密钥密封、SQLCipher {sqlcipher}、AES-GCM 数据块加密均通过</translation>
    </message>
    <message>
        <source>{version} community</source>
        <translation>{version} 社区版</translation>
    </message>
    <message>
        <source>Argon2id is not deterministic</source>
        <translation>Argon2id 的结果不确定（同一输入得到不同密钥）</translation>
    </message>
    <message>
        <source>Argon2id ignores its input</source>
        <translation>Argon2id 忽略了其输入（不同口令得到相同密钥）</translation>
    </message>
    <message>
        <source>AES-GCM unwrap returned other bytes</source>
        <translation>AES-GCM 解封返回了不同的字节</translation>
    </message>
    <message>
        <source>AES-GCM accepted the wrong AD</source>
        <translation>AES-GCM 接受了错误的关联数据</translation>
    </message>
    <message>
        <source>AES-GCM accepted a flipped bit</source>
        <translation>AES-GCM 接受了被翻转一位的密文</translation>
    </message>
    <message>
        <source>X25519 seal did not open</source>
        <translation>X25519 密封的密钥无法打开</translation>
    </message>
    <message>
        <source>a sealed key opened with the wrong private key</source>
        <translation>密封的密钥被错误的私钥打开</translation>
    </message>
    <message>
        <source>the database file holds plaintext</source>
        <translation>数据库文件中含有明文</translation>
    </message>
    <message>
        <source>SQLCipher did not read back its row</source>
        <translation>SQLCipher 未能读回写入的行</translation>
    </message>
    <message>
        <source>SQLCipher&apos;s page HMAC check reported errors</source>
        <translation>SQLCipher 的页面 HMAC 校验报告错误</translation>
    </message>
    <message>
        <source>SQLCipher opened the database with the wrong key</source>
        <translation>SQLCipher 用错误的密钥打开了数据库</translation>
    </message>
    <message>
        <source>a blob did not read back</source>
        <translation>数据块未能读回</translation>
    </message>
    <message>
        <source>a blob opened under another kind</source>
        <translation>数据块在另一类别下被打开</translation>
    </message>
    <message>
        <source>a tampered blob was accepted</source>
        <translation>被篡改的数据块被接受</translation>
    </message>
    <message>
        <source>{package} (shipped copy): {why}</source>
        <translation>{package}（随应用提供的副本）：{why}</translation>
    </message>
    <message>
        <source>{package} (site copy): {why}</source>
        <translation>{package}（机构副本）：{why}</translation>
    </message>
    <message>
        <source>exact</source>
        <extracomment>Outcomes of one plugin on one sample (selftest/dicom_samples.py).</extracomment>
        <translation>完全一致</translation>
    </message>
    <message>
        <source>within bound (max error {worst})</source>
        <translation>在允许误差内（最大误差 {worst}）</translation>
    </message>
    <message>
        <source>{count} pixels differ (lossless must be exact)</source>
        <translation>{count} 个像素不一致（无损压缩必须完全一致）</translation>
    </message>
    <message>
        <source>shape {shape}, expected {expected}</source>
        <translation>形状为 {shape}，应为 {expected}</translation>
    </message>
    <message>
        <source>dtype {dtype}, expected {expected}</source>
        <translation>数据类型为 {dtype}，应为 {expected}</translation>
    </message>
    <message>
        <source>error max {worst} / mean {mean} exceeds the bound {bound} / {mean_bound}</source>
        <translation>最大误差 {worst} / 平均误差 {mean} 超出允许范围 {bound} / {mean_bound}</translation>
    </message>
    <message>
        <source>sample file {file} is damaged (SHA-256 mismatch); reinstall the application</source>
        <translation>样例文件 {file} 已损坏（SHA-256 不一致）；请重新安装应用</translation>
    </message>
    <message>
        <source>no decoder plugin available for this transfer syntax (a codec package or its metadata is missing)</source>
        <translation>此传输语法没有可用的解码插件（缺少编解码包或其元数据）</translation>
    </message>
    <message>
        <source>not available ({why})</source>
        <translation>不可用（{why}）</translation>
    </message>
    <message>
        <source>{syntax}, {bits}-bit unsigned</source>
        <translation>{syntax}，{bits} 位无符号</translation>
    </message>
    <message>
        <source>{syntax}, {bits}-bit signed</source>
        <translation>{syntax}，{bits} 位有符号</translation>
    </message>
    <message>
        <source>{syntax}, {bits}-bit RGB</source>
        <translation>{syntax}，{bits} 位 RGB</translation>
    </message>
    <message>
        <source>{layout}, {frames} frames</source>
        <translation>{layout}，{frames} 帧</translation>
    </message>
    <message>
        <source>{outcomes}; {more}</source>
        <translation>{outcomes}；{more}</translation>
    </message>
    <message>
        <source>{description}: {outcomes}</source>
        <translation>{description}：{outcomes}</translation>
    </message>
    <message>
        <source>{plugin} (optional): {outcome}</source>
        <translation>{plugin}（可选）：{outcome}</translation>
    </message>
    <message>
        <source>{plugin}: {outcome}</source>
        <translation>{plugin}：{outcome}</translation>
    </message>
    <message>
        <source>cannot decode ({error}; the decoder&apos;s own message is in the --json report)</source>
        <translation>无法解码（{error}；解码器的原始信息见 --json 报告）</translation>
    </message>
</context>
<context>
    <name>services</name>
    <message>
        <source>There is no user named &apos;{username}&apos;. &apos;clinic-app users list&apos; shows them.</source>
        <extracomment>What ``UserSummary.clinical_key`` says, in words for IT.</extracomment>
        <translation>没有名为 &apos;{username}&apos; 的用户。&apos;clinic-app users list&apos; 可列出所有用户。</translation>
    </message>
    <message>
        <source>A user named &apos;{name}&apos; already exists; choose another name.</source>
        <translation>名为 &apos;{name}&apos; 的用户已存在；请另选名称。</translation>
    </message>
    <message>
        <source>You cannot disable your own account; ask another admin.</source>
        <translation>您不能停用自己的账户；请找另一位管理员。</translation>
    </message>
    <message>
        <source>You cannot change your own role; ask another admin.</source>
        <translation>您不能修改自己的角色；请找另一位管理员。</translation>
    </message>
    <message>
        <source>No usable imaging model with id {model_id!r}</source>
        <translation>没有 ID 为 {model_id!r} 的可用影像模型</translation>
    </message>
    <message>
        <source>; run &apos;clinic-app models list&apos; to see what is installed.</source>
        <translation>；运行 &apos;clinic-app models list&apos; 查看已安装的模型。</translation>
    </message>
    <message>
        <source>No imaging AI model is installed; ask IT to add one.</source>
        <translation>未安装影像 AI 模型；请联系 IT 添加。</translation>
    </message>
    <message>
        <source>No series of this study can be analysed by </source>
        <translation>本检查没有可分析的序列，所用模型：</translation>
    </message>
    <message>
        <source>this model</source>
        <translation>此模型</translation>
    </message>
    <message>
        <source>any installed model</source>
        <translation>任何已安装模型</translation>
    </message>
    <message>
        <source>Unknown analysis trigger {trigger!r}; one of {join}.</source>
        <translation>未知的分析触发方式 {trigger!r}；应为 {join} 之一。</translation>
    </message>
    <message>
        <source>{name} holds colour images; model {model_id} analyses greyscale images only.</source>
        <translation>{name} 为彩色图像；模型 {model_id} 仅分析灰度图像。</translation>
    </message>
    <message>
        <source>This finding has no stored heatmap.</source>
        <translation>此发现没有保存的热图。</translation>
    </message>
    <message>
        <source>A review decision is &apos;accepted&apos; or &apos;rejected&apos;.</source>
        <translation>审核决定只能是 &apos;accepted&apos;（接受）或 &apos;rejected&apos;（拒绝）。</translation>
    </message>
    <message>
        <source>The comment is longer than {MAX_COMMENT} characters.</source>
        <translation>备注超过 {MAX_COMMENT} 个字符。</translation>
    </message>
    <message>
        <source>The comment contains control characters; type it again.</source>
        <translation>备注含有控制字符；请重新输入。</translation>
    </message>
    <message>
        <source>No finding with id {finding_id}.</source>
        <translation>没有 ID 为 {finding_id} 的发现。</translation>
    </message>
    <message>
        <source>Audit forwarding is not configured: set audit_syslog_host (and audit_syslog_ca) in the site config.</source>
        <translation>未配置审计转发：请在机构配置中设置 audit_syslog_host（及 audit_syslog_ca）。</translation>
    </message>
    <message>
        <source>Audit export format must be &apos;json&apos; or &apos;csv&apos;.</source>
        <extracomment>The audit value types are part of this service&apos;s API: callers (the admin workspace, the CLI) import them from here, never from the audit store in the core.</extracomment>
        <translation>审计导出格式必须是 &apos;json&apos; 或 &apos;csv&apos;。</translation>
    </message>
    <message>
        <source>A store already exists at {root}; refusing to overwrite it.</source>
        <translation>{root} 已有存储；拒绝覆盖。</translation>
    </message>
    <message>
        <source>The first account created by init must be an admin.</source>
        <translation>init 创建的第一个账户必须是管理员。</translation>
    </message>
    <message>
        <source>Each user name given to init must be different.</source>
        <translation>提供给 init 的用户名必须互不相同。</translation>
    </message>
    <message>
        <source>--clinician takes a clinical role (radiologist or physician), not {value}.</source>
        <translation>--clinician 需要临床角色（radiologist 或 physician），而不是 {value}。</translation>
    </message>
    <message>
        <source>This account&apos;s key record does not match the account database; it may have been tampered with. Tell IT.</source>
        <translation>此账户的密钥记录与账户数据库不一致；可能已被篡改。请通知 IT。</translation>
    </message>
    <message>
        <source>This account is disabled. Ask IT to re-enable it.</source>
        <translation>此账户已停用。请联系 IT 重新启用。</translation>
    </message>
    <message>
        <source>The session is locked. Enter your password to continue.</source>
        <translation>会话已锁定。请输入密码以继续。</translation>
    </message>
    <message>
        <source>The new password must differ from the current one.</source>
        <translation>新密码必须与当前密码不同。</translation>
    </message>
    <message>
        <source>Your key record is missing from the store. Tell IT.</source>
        <translation>存储中缺少您的密钥记录。请通知 IT。</translation>
    </message>
    <message>
        <source>The current password is not correct.</source>
        <translation>当前密码不正确。</translation>
    </message>
    <message>
        <source>The session locked after {idle_timeout_minutes:g} minutes without activity. Enter your password to continue.</source>
        <extracomment>Hook for forwarding audit entries to a collector (services/audit_forwarding.py): each callable gets the writing session and every entry once its transaction has committed, on the writer&apos;s thread, so it must return at once.</extracomment>
        <translation>无操作 {idle_timeout_minutes:g} 分钟后会话已锁定。请输入密码以继续。</translation>
    </message>
    <message>
        <source>You must change your password before continuing: run &apos;clinic-app passwd&apos;.</source>
        <translation>继续之前必须修改密码：运行 &apos;clinic-app passwd&apos;。</translation>
    </message>
    <message>
        <source>Your role ({value}) does not allow &apos;{value2}&apos;. Ask IT if you need this access.</source>
        <translation>您的角色（{value}）无权执行“{value2}”。如需此权限请联系 IT。</translation>
    </message>
    <message>
        <source>No study with this UID in the store.</source>
        <translation>存储中没有此 UID 的检查。</translation>
    </message>
    <message>
        <source>Patients from several issuers share this MRN; give --issuer.</source>
        <translation>多个签发机构的患者使用此病历号；请给出 --issuer。</translation>
    </message>
    <message>
        <source>No studies or record for this MRN in the store.</source>
        <translation>存储中没有此病历号的检查或病历。</translation>
    </message>
    <message>
        <source>{len} image(s) were not exported because {value}. Nothing was written. Check the images and export again accepting burned-in text only if you have confirmed there is none.</source>
        <translation>{len} 幅图像未导出，原因：{value}。未写入任何内容。请检查图像；仅在确认图像中没有嵌入文字后，才选择接受嵌入文字并重新导出。</translation>
    </message>
    <message>
        <source>The record could not be written ({strerror}).</source>
        <translation>无法写入病历（{strerror}）。</translation>
    </message>
    <message>
        <source>The folder already holds a de-identified export; choose an empty folder.</source>
        <translation>该文件夹中已有去标识化导出；请选择空文件夹。</translation>
    </message>
    <message>
        <source>The export could not be written ({strerror}).</source>
        <translation>无法写入导出内容（{strerror}）。</translation>
    </message>
    <message>
        <source>There is no pending grant request from &apos;{username}&apos;. &apos;clinic-app users grants&apos; lists them.</source>
        <translation>&apos;{username}&apos; 没有待处理的授权申请。&apos;clinic-app users grants&apos; 可列出申请。</translation>
    </message>
    <message>
        <source>Only a clinician who holds the clinical key can approve a grant.</source>
        <translation>只有持有临床密钥的临床医生才能批准授权。</translation>
    </message>
    <message>
        <source>You cannot approve your own grant request.</source>
        <translation>您不能批准自己的授权申请。</translation>
    </message>
    <message>
        <source>You already approved {username}&apos;s request; it needs another key holder&apos;s approval.</source>
        <translation>您已批准 {username} 的申请；还需另一位密钥持有者批准。</translation>
    </message>
    <message>
        <source>{username}&apos;s request does not match their key record; it was refused and recorded. Tell the privacy officer.</source>
        <translation>{username} 的申请与其密钥记录不一致；已拒绝并记录。请通知隐私官。</translation>
    </message>
    <message>
        <source>Only a clinician who holds the clinical key can set up recovery.</source>
        <translation>只有持有临床密钥的临床医生才能设置恢复。</translation>
    </message>
    <message>
        <source>Give at least one file or folder to import.</source>
        <extracomment>Called after every import with (session, report, progress, cancel); the analysis service registers its auto-analysis here (Settings.auto_analyze_on_import).</extracomment>
        <translation>请至少给出一个要导入的文件或文件夹。</translation>
    </message>
    <message>
        <source>This stack has {len} slices; slice {first} does not exist.</source>
        <translation>此图像组有 {len} 层；第 {first} 层不存在。</translation>
    </message>
    <message>
        <source>This stack has {len} slices; slice {index_in_stack} does not exist.</source>
        <translation>此图像组有 {len} 层；第 {index_in_stack} 层不存在。</translation>
    </message>
    <message>
        <source>No series with this UID in the store; &apos;clinic-app studies show STUDY_UID&apos; lists a study&apos;s series.</source>
        <translation>存储中没有此 UID 的序列；&apos;clinic-app studies show STUDY_UID&apos; 可列出检查的序列。</translation>
    </message>
    <message>
        <source>This series has no decodable images ({reasons}).</source>
        <translation>此序列没有可解码的图像（{reasons}）。</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>no images</source>
        <translation>无图像</translation>
    </message>
    <message>
        <source>This series has {len} stack(s); stack {stack} does not exist.</source>
        <translation>此序列有 {len} 个图像组；图像组 {stack} 不存在。</translation>
    </message>
    <message>
        <source>Say why the key should be rotated (for example: &apos;dr.x left&apos;).</source>
        <extracomment>Every kind of blob the application writes (bound into each blob&apos;s associated data).</extracomment>
        <translation>请说明轮换密钥的原因（例如：“某医生已离职”）。</translation>
    </message>
    <message>
        <source>Only a clinician who holds the key to patient data can rotate it.</source>
        <translation>只有持有患者数据密钥的临床医生才能轮换密钥。</translation>
    </message>
    <message>
        <source>A key rotation is in progress that this session did not join; sign in again to continue it.</source>
        <translation>有一个本会话未参与的密钥轮换正在进行；请重新登录以继续。</translation>
    </message>
    <message>
        <source>No study {study_uid!r} in the store.</source>
        <translation>存储中没有检查 {study_uid!r}。</translation>
    </message>
    <message>
        <source>No series {series_uid!r} in the store.</source>
        <translation>存储中没有序列 {series_uid!r}。</translation>
    </message>
    <message>
        <source>Series {series_uid!r} is not part of study {study_uid!r}.</source>
        <translation>序列 {series_uid!r} 不属于检查 {study_uid!r}。</translation>
    </message>
    <message>
        <source>Model {model_id} is not an imaging model; only imaging models are evaluated on DICOM series.</source>
        <extracomment>How the metrics written into a manifest were measured (the rules: core/inference/evaluation.py).</extracomment>
        <translation>模型 {model_id} 不是影像模型；只有影像模型才在 DICOM 序列上评估。</translation>
    </message>
    <message>
        <source>{data_dir} is not a folder of DICOM series.</source>
        <translation>{data_dir} 不是 DICOM 序列文件夹。</translation>
    </message>
    <message>
        <source>{len} series named in the truth file are not in {data_dir} (first: {value}).</source>
        <translation>真值文件中列出的 {len} 个序列不在 {data_dir} 中（第一个：{value}）。</translation>
    </message>
    <message>
        <source>series {value} of the truth file is {modality}; model {model_id} analyses {join}.</source>
        <translation>真值文件中的序列 {value} 为 {modality}；模型 {model_id} 分析 {join}。</translation>
    </message>
    <message>
        <source>{folder} is not a model package ({strerror}).</source>
        <translation>{folder} 不是模型包（{strerror}）。</translation>
    </message>
    <message>
        <source>{folder} holds {id} {version}, not the evaluated {model_id} {version2}; metrics not written.</source>
        <translation>{folder} 中是 {id} {version}，而非被评估的 {model_id} {version2}；未写入指标。</translation>
    </message>
    <message>
        <source>That package has no approval to revoke; reload the list.</source>
        <translation>该模型包没有可撤销的批准；请重新加载列表。</translation>
    </message>
    <message>
        <source>No model package with id {package_id!r}; run &apos;clinic-app models list&apos; to see what is installed.</source>
        <translation>没有 ID 为 {package_id!r} 的模型包；运行 &apos;clinic-app models list&apos; 查看已安装的模型。</translation>
    </message>
    <message>
        <source>Model package {id!r} is unsigned. Re-run with --allow-unsigned to approve exactly this package (recorded in the audit log).</source>
        <translation>模型包 {id!r} 未签名。加 --allow-unsigned 重新运行可仅批准此模型包（将记录在审计日志中）。</translation>
    </message>
    <message>
        <source>Model id {id!r} belongs to a package shipped with the app; a site package cannot replace it. Give the package a different id.</source>
        <translation>模型 ID {id!r} 属于随应用提供的模型包；机构模型包不能替换它。请为模型包使用其他 ID。</translation>
    </message>
    <message>
        <source>Model package {id!r}</source>
        <translation>模型包 {id!r}</translation>
    </message>
    <message>
        <source>--allow-older --reason TEXT</source>
        <translation>--allow-older --reason TEXT</translation>
    </message>
    <message>
        <source>Model package {id!r} was copied but does not load; run &apos;clinic-app models list&apos; for the reason.</source>
        <translation>模型包 {id!r} 已复制但无法加载；运行 &apos;clinic-app models list&apos; 查看原因。</translation>
    </message>
    <message>
        <source>No model package with id {package_id!r} is installed; &apos;clinic-app models list&apos; shows the ids.</source>
        <translation>未安装 ID 为 {package_id!r} 的模型包；&apos;clinic-app models list&apos; 可列出 ID。</translation>
    </message>
    <message>
        <source>Model {package_id!r} is not disabled; reload the list.</source>
        <translation>模型 {package_id!r} 未被停用；请重新加载列表。</translation>
    </message>
    <message>
        <source>There is no PACS node {name!r}; &apos;pacs nodes list&apos; shows them.</source>
        <extracomment>Whose ``after_import`` hooks (auto-analysis, site policy) run on a complete retrieve.</extracomment>
        <translation>没有 PACS 节点 {name!r}；&apos;pacs nodes list&apos; 可列出节点。</translation>
    </message>
    <message>
        <source>There is no PACS node {name!r}; &apos;pacs nodes list&apos; shows them (IT adds them with &apos;pacs nodes add&apos;).</source>
        <translation>没有 PACS 节点 {name!r}；&apos;pacs nodes list&apos; 可列出节点（IT 用 &apos;pacs nodes add&apos; 添加）。</translation>
    </message>
    <message>
        <source>Cannot list priors: the open study has no patient ID.</source>
        <translation>无法列出既往检查：当前检查没有患者 ID。</translation>
    </message>
    <message>
        <source>Give the study UID to retrieve (&apos;pacs find&apos; lists them).</source>
        <translation>请给出要获取的检查 UID（&apos;pacs find&apos; 可列出）。</translation>
    </message>
    <message>
        <source>{name} has no study with this UID; &apos;pacs find&apos; lists its studies.</source>
        <translation>{name} 没有此 UID 的检查；&apos;pacs find&apos; 可列出其检查。</translation>
    </message>
    <message>
        <source>No study with this UID in the store; &apos;studies list&apos; shows them.</source>
        <translation>存储中没有此 UID 的检查；&apos;studies list&apos; 可列出检查。</translation>
    </message>
    <message>
        <source>No result writer is installed in this version, so there are no results to send; send the study itself without --results.</source>
        <translation>此版本未安装结果写入器，因此没有可发送的结果；请不加 --results 发送检查本身。</translation>
    </message>
    <message>
        <source>This study has no results to send yet (no report, segmentation or key images saved).</source>
        <translation>本检查尚无可发送的结果（未保存报告、分割或关键图像）。</translation>
    </message>
    <message>
        <source>Nothing to send.</source>
        <translation>没有可发送的内容。</translation>
    </message>
    <message>
        <source>No DIMSE node is configured, so no PACS could send to this workstation; IT adds one with &apos;pacs nodes add&apos;.</source>
        <translation>未配置 DIMSE 节点，因此没有 PACS 能向本工作站发送；IT 可用 &apos;pacs nodes add&apos; 添加。</translation>
    </message>
    <message>
        <source>An instance to send cannot be read as DICOM ({name__}).</source>
        <translation>待发送的某个实例无法按 DICOM 读取（{name__}）。</translation>
    </message>
    <message>
        <source>Give at least one records file to import.</source>
        <translation>请至少给出一个要导入的病历文件。</translation>
    </message>
    <message>
        <source>No patient with this MRN in the store; &apos;clinic-app patients list&apos; shows them.</source>
        <translation>存储中没有此病历号的患者；&apos;clinic-app patients list&apos; 可列出患者。</translation>
    </message>
    <message>
        <source>No such patient in the store.</source>
        <translation>存储中没有此患者。</translation>
    </message>
    <message>
        <source>&apos;{feature}&apos; cannot be confirmed here (only: {join}).</source>
        <translation>此处无法确认“{feature}”（仅可确认：{join}）。</translation>
    </message>
    <message>
        <source>Say what is being confirmed (the uncertain items).</source>
        <translation>请说明所确认的内容（不确定的项目）。</translation>
    </message>
    <message>
        <source>This store has no recovery set up: a key-holding clinician sets it up with &apos;clinic-app recovery setup&apos;.</source>
        <translation>此存储尚未设置恢复：由持有密钥的临床医生用 &apos;clinic-app recovery setup&apos; 设置。</translation>
    </message>
    <message>
        <source>An image the results refer to is no longer in the store.</source>
        <translation>结果所引用的某幅图像已不在存储中。</translation>
    </message>
    <message>
        <source>This study has no flagged, reviewed or added findings to export; analyse it first (&apos;clinic-app analyze STUDY_UID&apos;).</source>
        <translation>本检查没有可导出的已标记、已审核或新增的发现；请先分析（&apos;clinic-app analyze STUDY_UID&apos;）。</translation>
    </message>
    <message>
        <source>Results cannot be exported: the image(s) of </source>
        <translation>无法导出结果：以下发现的图像</translation>
    </message>
    <message>
        <source> are no longer in the store. Import the study again or review without these findings.</source>
        <translation>已不在存储中。请重新导入该检查，或在不含这些发现的情况下审核。</translation>
    </message>
    <message>
        <source>The folder cannot be created ({strerror}).</source>
        <translation>无法创建文件夹（{strerror}）。</translation>
    </message>
    <message>
        <source>{name} already exists in the folder; choose an empty folder.</source>
        <translation>文件夹中已存在 {name}；请选择空文件夹。</translation>
    </message>
    <message>
        <source>The results could not be written ({strerror}).</source>
        <translation>无法写入结果（{strerror}）。</translation>
    </message>
    <message>
        <source>The {what} is longer than {limit} characters.</source>
        <translation>{what}超过 {limit} 个字符。</translation>
    </message>
    <message>
        <source>The {what} contains control characters; type it again.</source>
        <translation>{what}含有控制字符；请重新输入。</translation>
    </message>
    <message>
        <source>No series with this UID in the store.</source>
        <translation>存储中没有此 UID 的序列。</translation>
    </message>
    <message>
        <source>This stack has {len} slices; slice {slice_index} does not exist.</source>
        <translation>此图像组有 {len} 层；第 {slice_index} 层不存在。</translation>
    </message>
    <message>
        <source>A box is two columns and two rows (first and last pixel).</source>
        <translation>框由两列和两行组成（首、末像素）。</translation>
    </message>
    <message>
        <source>The box ({c0}-{c1} across, {r0}-{r1} down) leaves the image, which is {cols} pixels across and {rows} down.</source>
        <translation>框（横向 {c0}-{c1}，纵向 {r0}-{r1}）超出图像范围，图像宽 {cols} 像素、高 {rows} 像素。</translation>
    </message>
    <message>
        <source>Name the finding (for example &apos;pulmonary nodule&apos;).</source>
        <translation>请为发现命名（例如“肺结节”）。</translation>
    </message>
    <message>
        <source>This series is not part of this study.</source>
        <translation>此序列不属于本检查。</translation>
    </message>
    <message>
        <source>No usable risk model {join}{why}; &apos;clinic-app models list&apos; shows the installed models and any refusals.</source>
        <translation>没有可用的风险模型 {join}{why}；&apos;clinic-app models list&apos; 可显示已安装的模型及拒绝原因。</translation>
    </message>
    <message>
        <source>{name} already exists; choose another name or allow replacing it (--overwrite).</source>
        <translation>{name} 已存在；请另选名称或允许替换（--overwrite）。</translation>
    </message>
    <message>
        <source>{name}: the report is a PDF; give a name ending .pdf.</source>
        <translation>{name}：报告为 PDF；请使用以 .pdf 结尾的名称。</translation>
    </message>
    <message>
        <source>The folder {parent} does not exist.</source>
        <translation>文件夹 {parent} 不存在。</translation>
    </message>
    <message>
        <source>Cannot compute the Pooled Cohort Equations for this patient.</source>
        <translation>无法为该患者计算汇总队列方程。</translation>
    </message>
    <message>
        <source>The settings were not saved: </source>
        <extracomment>Settings that name a folder.</extracomment>
        <translation>设置未保存：</translation>
    </message>
    <message>
        <source>The settings were not saved: {exc}</source>
        <translation>设置未保存：{exc}</translation>
    </message>
    <message>
        <source>The settings were not saved: they name a setting this version does not know.</source>
        <translation>设置未保存：其中包含此版本不认识的设置项。</translation>
    </message>
    <message>
        <source>The settings were not saved: the file would not load ({exc}).</source>
        <translation>设置未保存：文件无法加载（{exc}）。</translation>
    </message>
    <message>
        <source>Only an administrator of the backed-up store can restore it.</source>
        <translation>只有被备份存储的管理员才能恢复它。</translation>
    </message>
    <message>
        <source>No segmentation with this UID in the store.</source>
        <translation>存储中没有此 UID 的分割。</translation>
    </message>
</context>
<context>
    <name>shell.flow</name>
    <message>
        <source>Background work is still running. It will be cancelled; anything not finished is not kept. Continue?</source>
        <translation>后台任务仍在运行，将被取消；未完成的内容不会保留。继续吗？</translation>
    </message>
</context>
<context>
    <name>shell.info</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Every action can be reached from the keyboard. Shortcuts that belong to a workspace work while that workspace is shown.</source>
        <translation>所有操作均可通过键盘完成。属于某工作区的快捷键仅在显示该工作区时有效。</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>About clinic-app</source>
        <translation>关于 clinic-app</translation>
    </message>
    <message>
        <source>clinic-app {version__}</source>
        <translation>clinic-app {version__}</translation>
    </message>
    <message>
        <source>Desktop clinician assistant: DICOM review with AI findings, explained risk scores, an encrypted local store, role-based sign-in and a tamper-evident audit log.&lt;br&gt;&lt;br&gt;&lt;b&gt;Store:&lt;/b&gt; {escape}&lt;br&gt;&lt;b&gt;Log folder:&lt;/b&gt; {escape2} (no patient data)</source>
        <translation>临床医生桌面助手：含 AI 发现的 DICOM 阅片、可解释的风险评分、加密本地存储、基于角色的登录和防篡改审计日志。&lt;br&gt;&lt;br&gt;&lt;b&gt;存储：&lt;/b&gt;{escape}&lt;br&gt;&lt;b&gt;日志文件夹：&lt;/b&gt;{escape2}（不含患者数据）</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>组件</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Loaded models:</source>
        <translation>已加载的模型：</translation>
    </message>
    <message>
        <source>No models loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Version · provider</source>
        <translation>版本 · 提供程序</translation>
    </message>
</context>
<context>
    <name>shell.status</name>
    <message>
        <source>CPU (no models loaded)</source>
        <translation>CPU（未加载模型）</translation>
    </message>
    <message>
        <source>Store: locked</source>
        <translation>存储：已锁定</translation>
    </message>
    <message>
        <source>Store: encrypted · patient data open</source>
        <translation>存储：已加密 · 患者数据已打开</translation>
    </message>
    <message>
        <source>Store: encrypted · access to patient data pending</source>
        <translation>存储：已加密 · 患者数据访问权待批准</translation>
    </message>
    <message>
        <source>Store: encrypted · system data only</source>
        <translation>存储：已加密 · 仅系统数据</translation>
    </message>
    <message>
        <source>GPU ({name})</source>
        <translation>GPU（{name}）</translation>
    </message>
    <message>
        <source>Inference: {providers}</source>
        <translation>推理：{providers}</translation>
    </message>
    <message>
        <source> · DEMO, not for clinical use</source>
        <translation> · 演示，不得用于临床</translation>
    </message>
</context>
<context>
    <name>shell.window</name>
    <message>
        <source>Lock the screen now</source>
        <extracomment>Window kinds hidden by the lock and shown again on unlock (popups and tooltips are not). How long the lock waits for cancelled tasks before dropping the keys regardless.</extracomment>
        <translation>立即锁定屏幕</translation>
    </message>
    <message>
        <source>Switch user (locks, then another user signs in)</source>
        <translation>切换用户（先锁定，再由其他用户登录）</translation>
    </message>
    <message>
        <source>Show workspace 1 … 9</source>
        <translation>显示工作区 1 … 9</translation>
    </message>
    <message>
        <source>Keyboard shortcuts (this list)</source>
        <translation>键盘快捷键（本列表）</translation>
    </message>
    <message>
        <source>Quit (signs out)</source>
        <translation>退出（注销）</translation>
    </message>
    <message>
        <source>Your account does not hold the key to patient data yet. A colleague who has access grants it automatically the next time they sign in (or IT uses the recovery code). Sign out, and sign in again after that.</source>
        <translation>您的账户尚未持有患者数据密钥。有访问权的同事下次登录时将自动授予（或由 IT 使用恢复码）。请先注销，之后再重新登录。</translation>
    </message>
    <message>
        <source>No workspace is available for your role in this version of clinic-app.</source>
        <translation>此版本 clinic-app 中没有适用于您角色的工作区。</translation>
    </message>
</context>
<context>
    <name>site_inputs</name>
    <message>
        <source>not offered at this site: the site settings do not mark its patients as this model&apos;s intended population ({key} = false)</source>
        <extracomment>Model id -&gt; the boolean site key that marks the site&apos;s patients as its population. Inputs a model&apos;s equation for one sex does not use (coefficient 0 in every term): they are not asked for, and shown as &quot;not used&quot;. China-PAR&apos;s women&apos;s equation (Yang 2016).</extracomment>
        <translation>本机构未提供：机构设置未将其患者标为此模型的适用人群（{key} = false）</translation>
    </message>
    <message>
        <source>set {key} in the site settings (IT): the {what}</source>
        <translation>请在机构设置中设置 {key}（IT）：{what}</translation>
    </message>
</context>
<context>
    <name>size_caveat</name>
    <message>
        <source>Approximate size: measured on slices {slice_mm:g} mm apart. Small nodules are measured on slices 1.5 mm or thinner (Fleischner Society); check it on a thin-slice series if there is one.</source>
        <extracomment>Shown under a small finding&apos;s size when its slices are thick; {slice_mm} in mm.</extracomment>
        <translation>大小为近似值：测量所用层面间距为 {slice_mm:g} mm。小结节应在 1.5 mm 或更薄的层面上测量（Fleischner 学会）；如有薄层序列，请在其上复核。</translation>
    </message>
    <message>
        <source>It reaches the first or last image of the series analysed and may extend beyond it: its size may be larger.</source>
        <extracomment>Shown under the size of a finding cut off by the end of the series.</extracomment>
        <translation>该发现延伸至所分析序列的第一幅或最后一幅图像，可能超出序列范围：实际大小可能更大。</translation>
    </message>
</context>
<context>
    <name>sources</name>
    <message>
        <source>birth date {date} (patient record)</source>
        <extracomment>The sources and &quot;what would supply it&quot; hints core/inference/features.py writes, as patterns; file names, codes and record displays inside them stay as written.</extracomment>
        <translation>出生日期 {date}（患者病历）</translation>
    </message>
    <message>
        <source>administrative sex (patient record)</source>
        <translation>登记性别（患者病历）</translation>
    </message>
    <message>
        <source>race on the patient record ({said})</source>
        <translation>患者病历中的种族（{said}）</translation>
    </message>
    <message>
        <source>smoking status &apos;{status}&apos; ({source})</source>
        <translation>吸烟状态“{status}”（{source}）</translation>
    </message>
    <message>
        <source>condition {code} &apos;{display}&apos; ({source})</source>
        <translation>诊断 {code}“{display}”（{source}）</translation>
    </message>
    <message>
        <source>not on the problem list</source>
        <translation>问题列表中无此项</translation>
    </message>
    <message>
        <source>medication &apos;{display}&apos; ({status})</source>
        <translation>药物“{display}”（{status}）</translation>
    </message>
    <message>
        <source>no recognised blood-pressure medication</source>
        <translation>无可识别的降压药物</translation>
    </message>
    <message>
        <source>HbA1c {value}% ≥ 6.5% ({source})</source>
        <translation>糖化血红蛋白 {value}% ≥ 6.5%（{source}）</translation>
    </message>
    <message>
        <source>no diabetes on the problem list; latest HbA1c {value}% on {date}</source>
        <translation>问题列表中无糖尿病；最近一次糖化血红蛋白 {value}%（{date}）</translation>
    </message>
    <message>
        <source>no diabetes on the problem list; no HbA1c in {months} months</source>
        <translation>问题列表中无糖尿病；{months} 个月内无糖化血红蛋白结果</translation>
    </message>
    <message>
        <source>not in the record, counted as no ({source})</source>
        <translation>病历中无记录，按“否”计（{source}）</translation>
    </message>
    <message>
        <source>problem list</source>
        <translation>问题列表</translation>
    </message>
    <message>
        <source>{what} within {months} months</source>
        <translation>{months} 个月内的{what}</translation>
    </message>
    <message>
        <source>no record mapping for this input; use calculator mode</source>
        <translation>病历中无对应此项的映射；请使用计算器模式</translation>
    </message>
    <message>
        <source>a serum creatinine within {months} months (eGFR is calculated with CKD-EPI 2021), with birth date and sex</source>
        <translation>{months} 个月内的血清肌酐结果（eGFR 按 CKD-EPI 2021 公式计算），以及出生日期和性别</translation>
    </message>
    <message>
        <source>no active blood-pressure medication</source>
        <translation>无正在使用的降压药物</translation>
    </message>
    <message>
        <source>medication list</source>
        <translation>用药列表</translation>
    </message>
    <message>
        <source>no active statin on the medication list</source>
        <translation>用药列表中无正在使用的他汀</translation>
    </message>
    <message>
        <source>CKD-EPI 2021 from creatinine {value} mg/dL at age {age} ({source})</source>
        <translation>按 CKD-EPI 2021 公式由肌酐 {value} mg/dL 及年龄 {age} 岁计算（{source}）</translation>
    </message>
    <message>
        <source>record the patient&apos;s race, e.g. US Core race extension or the CSV race column</source>
        <translation>记录患者的种族，例如 US Core 种族扩展或 CSV 的种族列</translation>
    </message>
    <message>
        <source>total cholesterol result</source>
        <translation>总胆固醇结果</translation>
    </message>
    <message>
        <source>HDL cholesterol result</source>
        <translation>高密度脂蛋白胆固醇结果</translation>
    </message>
    <message>
        <source>systolic blood pressure</source>
        <translation>收缩压</translation>
    </message>
    <message>
        <source>smoking status (current/former/never)</source>
        <translation>吸烟状态（目前/既往/从不）</translation>
    </message>
    <message>
        <source>serum creatinine result</source>
        <translation>血清肌酐结果</translation>
    </message>
    <message>
        <source>total bilirubin result</source>
        <translation>总胆红素结果</translation>
    </message>
    <message>
        <source>INR result</source>
        <translation>INR 结果</translation>
    </message>
    <message>
        <source>serum sodium</source>
        <translation>血清钠</translation>
    </message>
    <message>
        <source>body mass index</source>
        <translation>体重指数</translation>
    </message>
    <message>
        <source>waist circumference</source>
        <translation>腰围</translation>
    </message>
    <message>
        <source>entered by {user} on {date}</source>
        <extracomment>The import row every saved entry points to as its provenance (never a file name).</extracomment>
        <translation>由 {user} 于 {date} 录入</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Region</source>
        <extracomment>A value the site settings supply (core/inference/site_inputs.py writes &quot;from site settings (china_par_region = north)&quot;): shown as the setting and its value in clinical words, never as our configuration key.</extracomment>
        <translation>所在地区</translation>
    </message>
    <message>
        <source>Residence</source>
        <translation>居住地</translation>
    </message>
    <message>
        <source>northern China</source>
        <translation>北方</translation>
    </message>
    <message>
        <source>southern China</source>
        <translation>南方</translation>
    </message>
    <message>
        <source>urban</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>rural</source>
        <translation>农村</translation>
    </message>
    <message>
        <source>{setting} (site setting): {value}</source>
        <translation>{setting}（机构设置）：{value}</translation>
    </message>
</context>
<context>
    <name>uncertain_inputs</name>
    <message>
        <source>On blood-pressure medication</source>
        <extracomment>Inputs a physician may settle when the record leaves them uncertain, with how the record leaves them open: (reason, subject) or None when the record settles them.</extracomment>
        <translation>正在服用降压药物</translation>
    </message>
    <message>
        <source>Family history of heart attack or stroke (parent or sibling)</source>
        <translation>心肌梗死或卒中家族史（父母或兄弟姐妹）</translation>
    </message>
</context>
<context>
    <name>viewport</name>
    <message>
        <source>no pixels</source>
        <extracomment>mm² from which an area reads better in cm² (1 cm² = 100 mm²).</extracomment>
        <translation>无像素</translation>
    </message>
    <message>
        <source>mean {mean}{unit}  SD {sd}
{area}</source>
        <translation>均值 {mean}{unit}  标准差 {sd}
{area}</translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
</context>
<context>
    <name>wording</name>
    <message>
        <source>years</source>
        <translation>岁</translation>
    </message>
    <message>
        <source>{text} point</source>
        <translation>{text} 分</translation>
    </message>
    <message>
        <source>{text} points</source>
        <translation>{text} 分</translation>
    </message>
</context>
<context>
    <name>workers</name>
    <message>
        <source>Working…</source>
        <translation>处理中…</translation>
    </message>
</context>
</TS>
