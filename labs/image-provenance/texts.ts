// Every learner-facing string of the image-provenance lab, in English and Simplified Chinese.
import { t } from '../shared/localized.ts';

export const LAB = {
  title: t('Image provenance: tags, digests, registries', '镜像来源：标签、摘要与镜像仓库'),
  summary: t(
    'Push and pull through a registry of your own, pin app 1.0 by its digest, then watch someone with push rights move the tag to a tampered image: pulling by tag gets theirs, pulling by digest gets yours.',
    '通过你自己的镜像仓库推送和拉取镜像，用摘要固定 app 1.0；然后看着一个有推送权限的人把标签挪到被篡改的镜像上：按标签拉取得到他们的镜像，按摘要拉取得到你的。',
  ),
  learned: [
    t(
      'A tag is a name anyone with push rights can move; a digest is the content address and names exactly one image.',
      '标签只是一个名字，任何有推送权限的人都能挪动它；摘要是内容地址，只指向唯一一个镜像。',
    ),
    t(
      'Pin what you deploy by digest (repo@sha256:…): a moved tag then cannot change what runs.',
      '用摘要（repo@sha256:…）固定你部署的镜像：标签被挪动，也改变不了运行的内容。',
    ),
    t(
      'A digest proves the content, not who made it: signing (Docker Content Trust, notary) says who.',
      '摘要证明内容没有变，却不证明是谁做的：签名（Docker 内容信任、notary）才说明是谁。',
    ),
    t(
      '--insecure-registry lets the engine pull over plain HTTP; use it only for a registry nobody else can reach.',
      '--insecure-registry 让守护进程通过明文 HTTP 拉取镜像；只对别人无法触及的镜像仓库使用它。',
    ),
  ],
};

export const CONTAINERS = {
  cli: t(
    'cli (docker CLI; its engine is this session’s own)',
    'cli（docker 命令行；它的守护进程只属于本次会话）',
  ),
  registry: t(
    'registry (docker-registry 2.8, plain HTTP)',
    'registry（docker-registry 2.8，明文 HTTP）',
  ),
  dockerHost: t('docker-host (where your engine lives)', 'docker-host（你的守护进程所在之处）'),
};

export const PIN = {
  title: t('Pin app 1.0 by its digest', '用摘要固定 app 1.0'),
  goal: t(
    'Submit the digest under which the registry stores app:1.0 as the lab pushed it: the content address you would pin a deployment to.',
    '提交镜像仓库保存实验推送的 app:1.0 时所用的摘要：部署时应当固定的内容地址。',
  ),
  label: t('The digest of registry:5000/app:1.0', 'registry:5000/app:1.0 的摘要'),
  placeholder: t('sha256:… (64 hex digits)', 'sha256:…（64 位十六进制）'),
  hints: [
    t(
      'A tag (app:1.0) is a name. The registry stores the image under a digest, the sha256 of its manifest; docker pull prints it.',
      '标签（app:1.0）只是名字。镜像仓库以摘要保存镜像，即清单（manifest）的 sha256；docker pull 会打印它。',
    ),
    t(
      'The image ID that docker images shows is the digest of the image’s config, not of the manifest the registry serves: look at RepoDigests.',
      'docker images 显示的镜像 ID 是镜像配置的摘要，不是镜像仓库提供的清单的摘要：请看 RepoDigests。',
    ),
    t(
      "In the cli terminal: docker pull registry:5000/app:1.0 && docker inspect --format '{{index .RepoDigests 0}}' registry:5000/app:1.0 | tee /root/pinned",
      "在 cli 终端中：docker pull registry:5000/app:1.0 && docker inspect --format '{{index .RepoDigests 0}}' registry:5000/app:1.0 | tee /root/pinned",
    ),
  ],
  right: t(
    'Right: the registry stores app:1.0 under that digest (the server read it in the registry’s own storage). Whatever happens to the tag, this digest names these bytes and no others.',
    '正确：镜像仓库以这个摘要保存 app:1.0（服务器在镜像仓库自己的存储中读到了它）。无论标签以后怎样，这个摘要只指向这些字节。',
  ),
  isTag: t(
    'That is a tag, a name the registry lets anyone with push rights re-point. Submit the sha256 digest.',
    '这是标签，任何有推送权限的人都能让它指向别处。请提交 sha256 摘要。',
  ),
  isImageId: t(
    'That is the image ID: the digest of the image’s config, which your engine computes. The registry addresses the manifest, and pulls by the manifest’s digest (RepoDigests).',
    '这是镜像 ID：镜像配置的摘要，由你的守护进程计算。镜像仓库按清单寻址，按清单的摘要拉取（RepoDigests）。',
  ),
  isOther: t(
    'The registry holds no manifest of app:1.0 as the lab pushed it with that digest.',
    '镜像仓库中没有以这个摘要保存的、实验推送的 app:1.0 清单。',
  ),
  isTampered: t(
    'That digest is a manifest the registry holds, but not the one the lab pushed as 1.0: it is what the tag was moved to.',
    '镜像仓库里确有这个摘要的清单，但它不是实验推送的 1.0：它是标签被挪去指向的那个。',
  ),
};

export const RUN_PINNED = {
  title: t('The tag moves; the digest does not', '标签会动，摘要不会'),
  goal: t(
    'Once app:1.0 in the registry points at the attacker’s image, have your engine run the original app 1.0, pulled by the digest you pinned.',
    '当镜像仓库里的 app:1.0 指向攻击者的镜像之后，让你的守护进程运行原来的 app 1.0，并按你固定的摘要拉取。',
  ),
  hints: [
    t(
      'Play the attacker first: anyone who can push to the registry can re-point a tag. Push attacker/app:1.0 as registry:5000/app:1.0, then pull the tag and see what you get.',
      '先扮演攻击者：能向镜像仓库推送的人就能让标签指向别处。把 attacker/app:1.0 作为 registry:5000/app:1.0 推送，再按标签拉取，看看得到了什么。',
    ),
    t(
      'Pulling by tag now gives the attacker’s image. A reference of the form registry:5000/app@sha256:… can only ever give the bytes with that digest.',
      '现在按标签拉取得到的是攻击者的镜像。registry:5000/app@sha256:… 形式的引用只能得到摘要相符的那些字节。',
    ),
    t(
      'In the cli terminal: docker tag attacker/app:1.0 registry:5000/app:1.0; docker push registry:5000/app:1.0; docker run -d --name pinned "$(cat /root/pinned)"; docker logs pinned',
      '在 cli 终端中：docker tag attacker/app:1.0 registry:5000/app:1.0; docker push registry:5000/app:1.0; docker run -d --name pinned "$(cat /root/pinned)"; docker logs pinned',
    ),
  ],
  notMoved: t(
    'The registry’s app:1.0 still points at the build the lab pushed: move it first, as the attacker would.',
    '镜像仓库里的 app:1.0 仍然指向实验推送的版本：先像攻击者那样挪动它。',
  ),
  right: t(
    'Your engine runs the original app 1.0, pulled by its digest, while the registry’s tag names the attacker’s image. That is what pinning buys: a moved tag cannot change what you run.',
    '你的守护进程运行的是按摘要拉取的原始 app 1.0，而镜像仓库的标签指向攻击者的镜像。这就是固定摘要的价值：标签被挪动，也改变不了你运行的内容。',
  ),
  byTag: t(
    'A container runs the original, but it was started by tag, before the tag moved. Start one from registry:5000/app@sha256:… .',
    '有容器运行着原始镜像，但它是在标签被挪动前按标签启动的。请从 registry:5000/app@sha256:… 启动一个。',
  ),
  tampered: t(
    'Your engine runs the attacker’s image: that is what the tag gives now. Run the digest you pinned.',
    '你的守护进程运行的是攻击者的镜像：标签现在给的就是它。请运行你固定的摘要。',
  ),
  nothing: t(
    'No running container of your engine runs the original app 1.0.',
    '你的守护进程中没有正在运行原始 app 1.0 的容器。',
  ),
};
